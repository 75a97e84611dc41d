using NodaTime;
using Reminders.Domain.EService;
using static Reminders.Domain.Tests.TestData;

namespace Reminders.Domain.Tests.EService;

/// <summary>R45: the standard answers staff close e-service requests with: text required and limited, retired rather than deleted.</summary>
public class StandardAnswerTests
{
    private static readonly Instant Now = Local(2025, 6, 2, 9);

    [Fact]
    public void R45_a_new_answer_is_offered_with_its_text_trimmed()
    {
        var answer = StandardAnswer.Create("  Vi har tagit bort blockeringen. \n", Now).Value;

        Assert.Equal("Vi har tagit bort blockeringen.", answer.Text);
        Assert.True(answer.Active);
        Assert.Equal(Now, answer.CreatedAt);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \t ")]
    public void R45_an_answer_without_text_is_refused_with_AnswerText(string? text)
    {
        var result = StandardAnswer.Create(text, Now);

        Assert.False(result.Succeeded);
        Assert.Equal(["R45 AnswerText"], Codes(result.Reasons));
    }

    [Fact]
    public void R45_an_answer_may_have_up_to_the_maximum_length_after_trimming_and_not_one_character_more()
    {
        var longest = new string('a', StandardAnswer.MaxTextLength);

        Assert.Equal(longest, StandardAnswer.Create("  " + longest + "  ", Now).Value.Text);
        Assert.Equal("a", StandardAnswer.Create("a", Now).Value.Text);
        var tooLong = StandardAnswer.Create(longest + "b", Now);
        Assert.False(tooLong.Succeeded);
        Assert.Equal(["R45 AnswerText"], Codes(tooLong.Reasons));
        Assert.Contains(StandardAnswer.MaxTextLength.ToString(System.Globalization.CultureInfo.InvariantCulture), tooLong.Reasons[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void R45_a_retired_answer_is_no_longer_offered_and_can_be_offered_again_with_its_text()
    {
        var answer = StandardAnswer.Create("Ärendet är åtgärdat.", Now).Value;

        answer.SetActive(false);
        Assert.False(answer.Active);
        Assert.Equal("Ärendet är åtgärdat.", answer.Text);

        answer.SetActive(true);
        Assert.True(answer.Active);
    }
}
