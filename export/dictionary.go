package export

// Column describes one column of the complete export for its data
// dictionary: what it means, its type and the values it may take.
type Column struct {
	File, Name, Meaning, Type, Allowed string
}

// Types a dictionary names.
const (
	tInt  = "integer"
	tNum  = "number"
	tText = "text"
	tBool = "boolean (true/false)"
	tTime = "timestamp (UTC, ISO 8601)"
)

const statusValues = "published; hidden (by a moderator); withdrawn (by its author); pending (awaiting moderation); rejected"

// fixedColumns describe the columns of the files whose columns the SQL
// fixes; WriteZip refuses a column missing here, so the dictionary cannot
// drift from zip.sql.
var fixedColumns = map[string][]Column{
	"proposals.csv": {
		{Name: "proposal_id", Meaning: "the proposal's id", Type: tInt},
		{Name: "component_id", Meaning: "the proposals component it was made in", Type: tInt},
		{Name: "component", Meaning: "that component's title", Type: tText},
		{Name: "status", Meaning: "its latest moderation decision: a row other than published is not shown to the public", Type: tText, Allowed: statusValues},
		{Name: "region", Meaning: "the region code its author gave", Type: tText, Allowed: "a code of the process's region set; empty: none given"},
		{Name: "region_name", Meaning: "that region's name", Type: tText},
		{Name: "title", Meaning: "its title, as last edited", Type: tText},
		{Name: "description", Meaning: "its description, as last edited", Type: tText},
		{Name: "budget_minor", Meaning: "the budget it asks for, in minor units of the currency (cents)", Type: tInt, Allowed: "0 or more"},
		{Name: "currency", Meaning: "the process's currency", Type: tText, Allowed: "ISO 4217 code"},
		{Name: "tags", Meaning: "its tags, separated by '; '", Type: tText},
		{Name: "lat", Meaning: "its location's latitude", Type: tNum, Allowed: "from -90 to 90; empty: not located"},
		{Name: "lng", Meaning: "its location's longitude", Type: tNum, Allowed: "from -180 to 180; empty: not located"},
		{Name: "created_at", Meaning: "when it was first made", Type: tTime},
		{Name: "supports", Meaning: "supports now (given minus withdrawn)", Type: tInt, Allowed: "0 or more"},
		{Name: "theme", Meaning: "the theme the text analysis placed it in (the narrowest: section, component, process)", Type: tText, Allowed: "a theme's label; empty: not analysed yet"},
	},
	"comments.csv": {
		{Name: "comment_id", Meaning: "the comment's id", Type: tInt},
		{Name: "component_id", Meaning: "the component it was made in", Type: tInt},
		{Name: "component", Meaning: "that component's title", Type: tText},
		{Name: "status", Meaning: "its latest moderation decision: a row other than published is not shown to the public", Type: tText, Allowed: statusValues},
		{Name: "target_kind", Meaning: "what it comments on", Type: tText, Allowed: "section; proposal; …"},
		{Name: "target_id", Meaning: "the id of what it comments on", Type: tInt},
		{Name: "section", Meaning: "the heading of the document section it comments on", Type: tText, Allowed: "empty when the target is not a section"},
		{Name: "parent_id", Meaning: "the comment it answers", Type: tInt, Allowed: "empty: a comment of its own"},
		{Name: "kind", Meaning: "what kind of comment", Type: tText, Allowed: "plain; amendment; question; …"},
		{Name: "body", Meaning: "its text, as last edited", Type: tText},
		{Name: "proposed_text", Meaning: "an amendment's proposed wording", Type: tText, Allowed: "empty for other kinds"},
		{Name: "region", Meaning: "the region code its author gave", Type: tText, Allowed: "a code of the process's region set; empty: none given"},
		{Name: "region_name", Meaning: "that region's name", Type: tText},
		{Name: "created_at", Meaning: "when it was first made", Type: tTime},
		{Name: "agree", Meaning: "agree votes now", Type: tInt, Allowed: "0 or more"},
		{Name: "disagree", Meaning: "disagree votes now", Type: tInt, Allowed: "0 or more"},
		{Name: "pass", Meaning: "pass votes now", Type: tInt, Allowed: "0 or more"},
		{Name: "theme", Meaning: "the theme the text analysis placed it in (the narrowest: section, component, process)", Type: tText, Allowed: "a theme's label; empty: not analysed yet"},
		{Name: "campaign_id", Meaning: "the campaign (near-identical texts sent by many) it belongs to", Type: tInt, Allowed: "empty: none"},
		{Name: "campaign_template", Meaning: "whether it is the text that stands for its campaign", Type: tBool},
	},
}

// responseColumns describe a survey file's columns before its questions'.
var responseColumns = []Column{
	{Name: "response_id", Meaning: "the response's id (one respondent's pass through the survey)", Type: tInt},
	{Name: "region", Meaning: "the region code the respondent gave", Type: tText, Allowed: "a code of the process's region set; empty: none given"},
	{Name: "region_name", Meaning: "that region's name", Type: tText},
	{Name: "started_at", Meaning: "when the response began", Type: tTime},
	{Name: "completed", Meaning: "whether the respondent finished the survey", Type: tBool},
	{Name: "completed_at", Meaning: "when they finished it", Type: tTime, Allowed: "empty: not completed"},
	{Name: "status", Meaning: "the latest moderation decision on its open answers", Type: tText, Allowed: statusValues},
}

var likertLabels = []string{"Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"}
