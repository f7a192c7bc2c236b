package console

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// The guard reads DuckDB's own parse of the analyst's text (the JSON tree
// of json_serialize_sql), never the text: what DuckDB would run is what is
// checked. It fails closed: a node kind, expression class, table or
// function not named below is refused, so a construct added by a later
// DuckDB (or one overlooked here) is refused rather than let through.

// queryNodes, tableRefs and the rest are the "type" values the tree may
// hold outside expressions.
var allowedTypes = set(
	// query nodes
	"SELECT_NODE", "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE", "CTE_NODE",
	// result modifiers and their order entries
	"ORDER_MODIFIER", "LIMIT_MODIFIER", "LIMIT_PERCENT_MODIFIER", "DISTINCT_MODIFIER",
	"ASCENDING", "DESCENDING", "ORDER_DEFAULT",
	// table references (BASE_TABLE and TABLE_FUNCTION checked further)
	"BASE_TABLE", "JOIN", "SUBQUERY", "EMPTY", "EXPRESSION_LIST", "TABLE_FUNCTION",
)

// allowedClasses are the expression classes; PARAMETER (a query with
// placeholders) and DEFAULT are not among them.
var allowedClasses = set(
	"COLUMN_REF", "CONSTANT", "FUNCTION", "OPERATOR", "COMPARISON", "CONJUNCTION", "CASE", "CAST",
	"SUBQUERY", "STAR", "WINDOW", "BETWEEN", "POSITIONAL_REFERENCE", "COLLATE", "LAMBDA",
)

// tableFunctions may appear in FROM: they make rows out of nothing and
// read no file, database or setting.
var tableFunctions = set("range", "generate_series", "unnest")

// functions is the allow-list of scalar, aggregate and window functions
// (and the operators DuckDB parses as functions: +, ||, ~~ for LIKE…). It
// holds none that reads a file, the network, the environment, a setting
// or the catalog (read_csv, glob, getenv, current_setting, duckdb_*…).
var functions = set(
	// operators
	"+", "-", "*", "/", "//", "%", "**", "^", "||", "~~", "!~~", "~~*", "!~~*", "~~~", "!~~~",
	"&", "|", "<<", ">>", "~", "@>", "<@", "&&",
	// numbers
	"abs", "ceil", "ceiling", "floor", "round", "trunc", "sign", "sqrt", "cbrt", "exp", "ln", "log",
	"log2", "log10", "pow", "power", "mod", "greatest", "least", "pi", "random", "isnan", "isinf",
	"isfinite", "even", "gcd", "lcm", "degrees", "radians", "sin", "cos", "tan", "atan", "atan2",
	"bit_count", "hash", "md5",
	// text
	"lower", "upper", "lcase", "ucase", "length", "strlen", "char_length", "character_length",
	"concat", "concat_ws", "substr", "substring", "left", "right", "trim", "ltrim", "rtrim",
	"replace", "reverse", "repeat", "lpad", "rpad", "position", "strpos", "instr", "contains",
	"starts_with", "prefix", "ends_with", "suffix", "split_part", "string_split", "str_split",
	"string_to_array", "regexp_matches", "regexp_full_match", "regexp_replace", "regexp_extract",
	"regexp_extract_all", "regexp_split_to_array", "like_escape", "ilike_escape", "format",
	"printf", "initcap", "ascii", "chr", "levenshtein", "jaccard", "jaro_winkler_similarity",
	"damerau_levenshtein", "hamming", "strip_accents", "nfc_normalize", "array_to_string",
	"list_aggr", "to_json", "json_extract", "json_extract_string", "json_array_length",
	// time
	"date_trunc", "datetrunc", "date_part", "datepart", "extract", "date_diff", "datediff",
	"date_sub", "datesub", "date_add", "age", "strftime", "strptime", "try_strptime", "epoch",
	"epoch_ms", "make_date", "make_timestamp", "make_time", "year", "month", "day", "hour",
	"minute", "second", "week", "weekofyear", "yearweek", "quarter", "dayofweek", "isodow",
	"dayofyear", "dayofmonth", "dayname", "monthname", "last_day", "time_bucket", "to_timestamp",
	"now", "current_date", "today", "get_current_timestamp", "current_timestamp",
	"to_days", "to_hours", "to_minutes", "to_seconds", "to_weeks", "to_months", "to_years",
	// lists and structs
	"list_value", "list_pack", "struct_pack", "row", "struct_extract", "list_extract",
	"array_extract", "list_element", "list_contains", "list_has", "array_contains", "array_has",
	"list_position", "list_sort", "array_sort", "list_reverse_sort", "list_distinct",
	"array_distinct", "list_unique", "list_slice", "array_slice", "list_concat", "array_concat",
	"list_cat", "len", "array_length", "list_transform", "array_transform", "list_apply",
	"list_filter", "array_filter", "list_has_any", "list_has_all", "flatten", "unnest",
	"cardinality", "list_count", "list_sum", "list_min", "list_max", "list_avg",
	// conditionals
	"coalesce", "ifnull", "nullif", "if", "typeof",
	// aggregates
	"count", "count_star", "sum", "avg", "mean", "min", "max", "median", "mode", "quantile",
	"quantile_cont", "quantile_disc", "percentile_cont", "percentile_disc", "stddev",
	"stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop", "corr", "covar_pop",
	"covar_samp", "regr_slope", "regr_intercept", "regr_r2", "entropy", "kurtosis", "skewness",
	"string_agg", "group_concat", "listagg", "list", "array_agg", "any_value", "first", "last",
	"arg_max", "arg_min", "argmax", "argmin", "max_by", "min_by", "bool_and", "bool_or",
	"approx_count_distinct", "approx_quantile", "histogram", "product", "fsum", "favg",
	"count_if", "countif", "bit_and", "bit_or",
	// window functions
	"row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead",
	"first_value", "last_value", "nth_value", "rank_dense",
)

// identifier is what a WITH name of the analyst's may look like: no
// quoting games, no dots or slashes (a name like 'x.csv' that fell out of
// its scope would be read as a file).
var identifier = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// checker walks one parsed statement.
type checker struct {
	views    map[string]bool // the scope's views
	reserved map[string]bool // every table and view name of the database
	ctes     map[string]bool // the analyst's WITH names
}

// check refuses a parse (json_serialize_sql's answer) that is not one
// SELECT over the allowed views with allowed functions only.
func (c *checker) check(parsed string) error {
	var top struct {
		Error        bool              `json:"error"`
		ErrorType    string            `json:"error_type"`
		ErrorMessage string            `json:"error_message"`
		Statements   []json.RawMessage `json:"statements"`
	}
	if err := json.Unmarshal([]byte(parsed), &top); err != nil {
		return fmt.Errorf("console: unable to read DuckDB's parse: %w", err)
	}
	switch {
	case top.Error && strings.Contains(top.ErrorMessage, "Only SELECT"):
		return refuse("console.err.not_select")
	case top.Error:
		return refuse("console.err.syntax", top.ErrorMessage)
	case len(top.Statements) == 0:
		return refuse("console.err.empty")
	case len(top.Statements) > 1:
		return refuse("console.err.one_statement")
	}
	var tree any
	dec := json.NewDecoder(strings.NewReader(string(top.Statements[0])))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		return fmt.Errorf("console: unable to read DuckDB's parse: %w", err)
	}
	c.ctes = map[string]bool{}
	if err := c.collectCTEs(tree); err != nil {
		return err
	}
	return c.walk(tree)
}

// collectCTEs gathers the analyst's WITH names, wherever they are. Each
// must be a plain name no table or view of the database has: then a
// reference by that name reaches the WITH or nothing, whatever the scope.
func (c *checker) collectCTEs(v any) error {
	switch x := v.(type) {
	case map[string]any:
		if cm, ok := x["cte_map"].(map[string]any); ok {
			entries, _ := cm["map"].([]any)
			for _, e := range entries {
				em, _ := e.(map[string]any)
				name, _ := em["key"].(string)
				name = strings.ToLower(name)
				if !identifier.MatchString(name) || c.reserved[name] {
					return refuse("console.err.with_name", name)
				}
				c.ctes[name] = true
			}
		}
		for _, child := range x {
			if err := c.collectCTEs(child); err != nil {
				return err
			}
		}
	case []any:
		for _, child := range x {
			if err := c.collectCTEs(child); err != nil {
				return err
			}
		}
	}
	return nil
}

func (c *checker) walk(v any) error {
	switch x := v.(type) {
	case []any:
		for _, child := range x {
			if err := c.walk(child); err != nil {
				return err
			}
		}
	case map[string]any:
		if class, ok := x["class"].(string); ok {
			return c.expression(class, x)
		}
		if typ, ok := x["type"].(string); ok {
			return c.node(typ, x)
		}
		return c.children(x)
	}
	return nil
}

// children walks an object's values but its types (a cast's target: data,
// not query; a "type" that is no string is a value's type).
func (c *checker) children(x map[string]any) error {
	for k, child := range x {
		switch k {
		case "cast_type", "type_info", "type":
			continue
		}
		if err := c.walk(child); err != nil {
			return err
		}
	}
	return nil
}

func (c *checker) expression(class string, x map[string]any) error {
	if !allowedClasses[class] {
		if class == "PARAMETER" {
			return refuse("console.err.parameter")
		}
		return refuse("console.err.construct", strings.ToLower(class))
	}
	if class == "CONSTANT" {
		return nil // a value, typed and parsed: nothing in it runs
	}
	if class == "FUNCTION" || class == "WINDOW" {
		name, _ := x["function_name"].(string)
		name = strings.ToLower(name)
		if str(x, "schema") != "" || str(x, "catalog") != "" || !functions[name] {
			return refuse("console.err.function", name)
		}
	}
	return c.children(x)
}

func (c *checker) node(typ string, x map[string]any) error {
	if !allowedTypes[typ] {
		return refuse("console.err.construct", strings.ToLower(typ))
	}
	switch typ {
	case "BASE_TABLE":
		name := strings.ToLower(str(x, "table_name"))
		if str(x, "schema_name") != "" || str(x, "catalog_name") != "" || x["at_clause"] != nil ||
			!(c.views[name] || c.ctes[name]) {
			return refuse("console.err.table", str(x, "table_name"))
		}
	case "TABLE_FUNCTION":
		fn, _ := x["function"].(map[string]any)
		name := strings.ToLower(str(fn, "function_name"))
		if fn == nil || str(fn, "schema") != "" || str(fn, "catalog") != "" || !tableFunctions[name] {
			return refuse("console.err.table_function", name)
		}
		if err := c.walk(fn["children"]); err != nil {
			return err
		}
		rest := map[string]any{}
		for k, v := range x {
			if k != "function" {
				rest[k] = v
			}
		}
		return c.children(rest)
	}
	return c.children(x)
}

func str(x map[string]any, key string) string {
	s, _ := x[key].(string)
	return s
}
