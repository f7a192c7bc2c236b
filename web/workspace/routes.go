package workspace

import (
	"net/http"

	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/staffweb"
)

// maxForm bounds an ordinary form; uploads have Config.MaxUpload.
const maxForm = 1 << 20

// routes is the workspace's part of the route table. Each route names its
// rule here and nowhere else: creating a process is a global permission
// that admins and the officials of any process hold (the creator becomes
// the new process's official: Workspace.adopt); everything on one process needs edit_process there, so its officials
// (and admins) pass, analysts and moderators get 403 and the officials of
// other processes 404.
func (ws *Workspace) routes(reg web.Registrar) {
	const get, post, put, del = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete
	edit := staffweb.Rule(staff.EditProcess)
	create := staffweb.Rule(staff.CreateProcess)
	up := web.MaxBody(ws.cfg.MaxUpload)
	const P = "/staff/processes/{process:[0-9]+}"

	reg.HandleFunc("ws.static", get, "/ws-static/{hash}/{name}", web.Public, serveStatic)
	reg.HandleFunc("ws.new", get, "/staff/processes/new", create, ws.newPage)
	reg.HandleFunc("ws.create", post, "/staff/processes", create, ws.create)

	reg.HandleFunc("ws.setup", get, P+"/setup", edit, ws.setupPage)
	reg.HandleFunc("ws.state", post, P+"/state", edit, ws.transition)
	reg.HandleFunc("ws.copy", post, P+"/copy", edit, ws.copyProcess)
	reg.HandleFunc("ws.strategy", get, P+"/strategy", edit, ws.strategyPage)
	reg.HandleFunc("ws.strategy.save", post, P+"/strategy", edit, ws.saveStrategy)
	reg.HandleFunc("ws.participation", get, P+"/participation", edit, ws.participationPage)
	reg.HandleFunc("ws.participation.save", post, P+"/participation", edit, ws.saveParticipation)
	reg.HandleFunc("ws.privacy.save", post, P+"/privacy", edit, ws.savePrivacy)
	reg.HandleFunc("ws.translations", get, P+"/translations/{lang}", edit, ws.translationsPage)
	reg.HandleFunc("ws.translations.save", post, P+"/translations/{lang}", edit, ws.saveTranslations)
	reg.HandleFunc("ws.regions", get, P+"/regions", edit, ws.regionsPage)
	reg.HandleFunc("ws.regions.choose", post, P+"/regions", edit, ws.chooseRegions)
	reg.HandleFunc("ws.regions.upload", post, P+"/regions/upload", edit, ws.uploadRegions, up)

	reg.HandleFunc("ws.components.add", post, P+"/components", edit, ws.addComponent)
	reg.HandleFunc("ws.component", get, P+"/components/{component:[0-9]+}", edit, ws.componentPage)
	reg.HandleFunc("ws.component.save", post, P+"/components/{component:[0-9]+}", edit, ws.saveComponent)
	reg.HandleFunc("ws.component.delete", post, P+"/components/{component:[0-9]+}/delete", edit, ws.deleteComponent)
	reg.HandleFunc("ws.component.move", post, P+"/components/{component:[0-9]+}/move", edit, ws.moveComponent)
	reg.HandleFunc("ws.document.import", post, P+"/components/{component:[0-9]+}/document/import", edit, ws.importDocument, up)
	reg.HandleFunc("ws.document.sections", post, P+"/components/{component:[0-9]+}/document/sections", edit, ws.saveSections)
	reg.HandleFunc("ws.questions.add", post, P+"/components/{component:[0-9]+}/questions", edit, ws.addQuestion)
	reg.HandleFunc("ws.question.save", post, P+"/questions/{question:[0-9]+}", edit, ws.saveQuestion)
	reg.HandleFunc("ws.question.delete", post, P+"/questions/{question:[0-9]+}/delete", edit, ws.deleteQuestion)
	reg.HandleFunc("ws.question.move", post, P+"/questions/{question:[0-9]+}/move", edit, ws.moveQuestion)

	reg.HandleFunc("ws.phases", get, P+"/phases", edit, ws.phasesPage)
	reg.HandleFunc("ws.phases.add", post, P+"/phases", edit, ws.addPhase)
	reg.HandleFunc("ws.phase.save", post, P+"/phases/{phase:[0-9]+}", edit, ws.savePhase)
	reg.HandleFunc("ws.phase.delete", post, P+"/phases/{phase:[0-9]+}/delete", edit, ws.deletePhase)

	// Assessment (assessment.go) and the answers to the tools' input
	// (responses.go): officials only — moderators and analysts get 403.
	reg.HandleFunc("ws.criteria", get, P+"/criteria", edit, ws.criteriaPage)
	reg.HandleFunc("ws.criteria.add", post, P+"/criteria", edit, ws.addCriterion)
	reg.HandleFunc("ws.criterion.save", post, P+"/criteria/{criterion:[0-9]+}", edit, ws.saveCriterion)
	reg.HandleFunc("ws.criterion.delete", post, P+"/criteria/{criterion:[0-9]+}/delete", edit, ws.deleteCriterion)
	reg.HandleFunc("ws.assessment", get, P+"/assessment", edit, ws.assessmentPage)
	reg.HandleFunc("ws.assess", get, P+"/proposals/{proposal:[0-9]+}/assess", edit, ws.assessPage)
	reg.HandleFunc("ws.scores.save", post, P+"/proposals/{proposal:[0-9]+}/scores", edit, ws.saveScores)
	reg.HandleFunc("ws.decide", post, P+"/proposals/{proposal:[0-9]+}/decision", edit, ws.decide)
	reg.HandleFunc("ws.responses", get, P+"/components/{component:[0-9]+}/responses", edit, ws.responsesPage)
	reg.HandleFunc("ws.responses.section", post, P+"/components/{component:[0-9]+}/responses", edit, ws.saveSectionResponse)
	reg.HandleFunc("ws.responses.takeaway", post, P+"/components/{component:[0-9]+}/takeaways", edit, ws.saveTakeaway)
	reg.HandleFunc("ws.results", get, P+"/results", edit, ws.resultsPage)
	reg.HandleFunc("ws.results.save", post, P+"/results", edit, ws.saveResults)
	reg.HandleFunc("ws.results.publish", post, P+"/results/publish", edit, ws.publishResults)

	// The staff API: the same operations as JSON (bearer session token).
	const A = "/api/v1/staff/processes/{process:[0-9]+}"
	reg.HandleFunc("api.ws.create", post, "/api/v1/staff/processes", create, ws.apiCreate)
	reg.HandleFunc("api.ws.setup", get, A+"/setup", edit, ws.apiSetup)
	reg.HandleFunc("api.ws.strategy", put, A+"/strategy", edit, ws.apiStrategy)
	reg.HandleFunc("api.ws.privacy", post, A+"/privacy-notice", edit, ws.apiPrivacy)
	reg.HandleFunc("api.ws.state", post, A+"/state", edit, ws.apiState)
	reg.HandleFunc("api.ws.copy", post, A+"/copy", edit, ws.apiCopy)
	reg.HandleFunc("api.ws.translations", put, A+"/translations", edit, ws.apiTranslations)
	reg.HandleFunc("api.ws.regions", post, A+"/region-set", edit, ws.apiRegions, up)
	reg.HandleFunc("api.ws.components.add", post, A+"/components", edit, ws.apiAddComponent)
	reg.HandleFunc("api.ws.component", put, A+"/components/{component:[0-9]+}", edit, ws.apiSaveComponent)
	reg.HandleFunc("api.ws.component.delete", del, A+"/components/{component:[0-9]+}", edit, ws.apiDeleteComponent)
	reg.HandleFunc("api.ws.component.move", post, A+"/components/{component:[0-9]+}/move", edit, ws.apiMoveComponent)
	reg.HandleFunc("api.ws.document", put, A+"/components/{component:[0-9]+}/document", edit, ws.apiDocument, up)
	reg.HandleFunc("api.ws.survey", put, A+"/components/{component:[0-9]+}/survey", edit, ws.apiSurvey)
	reg.HandleFunc("api.ws.phases.add", post, A+"/phases", edit, ws.apiAddPhase)
	reg.HandleFunc("api.ws.phase", put, A+"/phases/{phase:[0-9]+}", edit, ws.apiSavePhase)
	reg.HandleFunc("api.ws.phase.delete", del, A+"/phases/{phase:[0-9]+}", edit, ws.apiDeletePhase)

	ws.moderationRoutes(reg)
	ws.inquiryRoutes(reg)
	ws.outreachRoutes(reg)
	reg.HandleFunc("api.ws.criteria.add", post, A+"/criteria", edit, ws.apiAddCriterion)
	reg.HandleFunc("api.ws.scores", put, A+"/proposals/{proposal:[0-9]+}/scores", edit, ws.apiScores)
	reg.HandleFunc("api.ws.decide", post, A+"/proposals/{proposal:[0-9]+}/decision", edit, ws.apiDecide)
}
