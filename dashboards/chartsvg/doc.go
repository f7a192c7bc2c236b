// Package chartsvg draws a panel's chart on the server as an SVG image,
// so that the public results page shows its charts without JavaScript;
// the interactive ECharts chart replaces the image when scripts run.
//
// It reads the ECharts option that package dashboards built (go-echarts'
// JSON) and draws it with gonum/plot's SVG backend: line charts (dashed
// comparison lines, gaps where a value is missing), bar charts (vertical
// or horizontal, grouped or stacked, positives and negatives stacked
// apart as ECharts does), funnels (as horizontal bars, first stage on
// top) and scatters. Maps and geo charts need the region shapes and are
// not drawn: Render returns ErrUnsupported, and a chart without values
// ErrNoData; in both cases the page shows the panel's table alone.
//
// A caller renders once per chart and serves the bytes as image/svg+xml
// in an <img alt="{{.Title}}"> (never inline: an <img> runs no script,
// whatever the document says, and screen readers read the alt, not the
// SVG's own title), with the table beside it as the accessible figure:
//
//	svg, err := chartsvg.Render(*res.Chart, res.Title, chartsvg.Options{Width: 640})
//	switch {
//	case errors.Is(err, chartsvg.ErrUnsupported), errors.Is(err, chartsvg.ErrNoData):
//		// show the table only
//	case err != nil:
//		// log it once; show the table only
//	default:
//		w.Header().Set("Content-Type", "image/svg+xml")
//		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
//		w.Write(svg)
//	}
//
// Options.Width is best near the width the image is shown at: the text
// scales with the image, so a 640 px drawing shown 320 px wide has 5.5 px
// labels. Leave Height 0 and it follows the chart: 360 px, or a row per
// category for horizontal bars and funnels, plus the legend (shown when
// there is more than one series).
//
// The document is titled (<title>, for screen readers), scales through
// its viewBox, and keeps its labels as text. Every label is participant
// or catalogue text: it is cleaned of characters XML cannot carry and
// escaped where it is written; nothing in the output is a script or an
// event attribute. Output is deterministic: the same chart, title and
// options give the same bytes, so a hash of them can serve as an ETag.
//
// Labels are measured with Liberation Sans (embedded by gonum/plot) and
// the document asks for it, then Arial, which has the same metrics, so
// truncation with an ellipsis holds in the browser.
package chartsvg
