package io.fedsearch.web.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The template helper escapes every interpolated value; the highlighter marks words in escaped text only. */
class HtmlTest {
  @Test
  void interpolatedValuesAreEscapedForTextAndAttributes() {
    Html h = Html.f("<a href=\"/creator/{}\" title='{}'>{}</a>", "x\"><script>", "it's", "<b>&</b>");
    assertThat(h.markup()).isEqualTo(
        "<a href=\"/creator/x&quot;&gt;&lt;script&gt;\" title='it&#39;s'>&lt;b&gt;&amp;&lt;/b&gt;</a>");
    // Html arguments are trusted markup (built by the same helper), everything else is text.
    assertThat(Html.f("<p>{}</p>", Html.f("<i>{}</i>", "<x>")).markup()).isEqualTo("<p><i>&lt;x&gt;</i></p>");
    assertThat(Html.each(List.of("<", ">"), s -> Html.f("<li>{}</li>", s)).markup())
        .isEqualTo("<li>&lt;</li><li>&gt;</li>");
  }

  @Test
  void holesMustMatchArguments() {
    assertThatThrownBy(() -> Html.f("{} {}", "one")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Html.f("{}", "one", "two")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void highlightMarksQueryWordsInsideEscapedText() {
    Html s = Highlight.snippet("A <fast> JSON parser & Parsers for <script>", "parser script", 200);
    assertThat(s.markup()).isEqualTo(
        "A &lt;fast&gt; JSON <mark>parser</mark> &amp; <mark>Parsers</mark> for &lt;<mark>script</mark>&gt;");
    String longText = "word ".repeat(100) + "needle " + "word ".repeat(100);
    Html cut = Highlight.snippet(longText, "needle", 120);
    assertThat(cut.markup()).startsWith("…").endsWith("…").contains("<mark>needle</mark>");
    assertThat(Highlight.snippet("<b>", "", 10).markup()).isEqualTo("&lt;b&gt;");
  }

  @Test
  void chartsAreSvgWithEscapedLabels() {
    Html chart = Svg.bars("ε per epoch", List.of(new Svg.Bar("<e1>", 0.5), new Svg.Bar("e2", 1.25)), "ε");
    assertThat(chart.markup()).contains("<svg viewBox=").contains("&lt;e1&gt;").doesNotContain("<e1>")
        .contains("class=\"bar\"");
    Html band = Svg.band("score", List.of(new Svg.Band("epoch 1", 40, 30, 50), new Svg.Band("epoch 2", 60, 50, 70)), 100);
    assertThat(band.markup()).contains("class=\"band\"").contains("class=\"line\"").doesNotContain("style=");
    assertThat(Svg.bars("nothing", List.of(), "").markup()).contains("nothing yet");
    assertThat(Layout.xrp(1_080_000)).isEqualTo("1.08 XRP");
    assertThat(Layout.xrp(0)).isEqualTo("free");
  }
}
