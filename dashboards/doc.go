// Package dashboards turns warehouse queries into panels: a Panel names its
// query, the filter it takes and the chart it draws, and builds a Result (a
// table, always, and a chart option for go-echarts/ECharts) from the rows.
// A Dashboard is a list of panels. There is no HTTP here: web/dashweb
// renders Results as htmx fragments.
//
// Every panel reads the DuckDB warehouse only, through a named query of the
// queries package; time is bucketed in the process's time zone, empty
// buckets are zeros, and public results go through Suppress (any cell under
// five participants shows as "<5").
package dashboards
