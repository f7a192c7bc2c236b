package staffweb

import (
	"net/http"

	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web"
)

// routes is the staff area's part of the route table. Each route names its
// rule here and nowhere else.
func (a *Area) routes(reg web.Registrar) {
	const get, post = http.MethodGet, http.MethodPost

	// Reached before signing in. Every form still carries the CSRF token
	// (login CSRF would sign a victim into the attacker's account).
	reg.HandleFunc("staff.signin", get, "/staff/sign-in", web.Public, a.signInPage)
	reg.HandleFunc("staff.signin.submit", post, "/staff/sign-in", web.Public, a.signIn)
	reg.HandleFunc("staff.invite", get, "/staff/invite", web.Public, a.invitePage)
	reg.HandleFunc("staff.invite.accept", post, "/staff/invite", web.Public, a.acceptInvite)
	reg.HandleFunc("staff.reset.request", get, "/staff/reset", web.Public, a.resetRequestPage)
	reg.HandleFunc("staff.reset.request.submit", post, "/staff/reset", web.Public, a.requestReset)
	reg.HandleFunc("staff.reset", get, "/staff/reset/new", web.Public, a.resetPage)
	reg.HandleFunc("staff.reset.submit", post, "/staff/reset/new", web.Public, a.resetPassword)

	// Any signed-in staff member, about themself.
	reg.HandleFunc("staff.home", get, "/staff", SignedIn, a.home)
	reg.HandleFunc("staff.signout", post, "/staff/sign-out", SignedIn, a.signOut)
	reg.HandleFunc("staff.account", get, "/staff/account", SignedIn, a.account)
	reg.HandleFunc("staff.totp.begin", post, "/staff/account/totp", SignedIn, a.beginTOTP)
	reg.HandleFunc("staff.totp.confirm", post, "/staff/account/totp/confirm", SignedIn, a.confirmTOTP)
	reg.HandleFunc("staff.totp.disable", post, "/staff/account/totp/disable", SignedIn, a.disableTOTP)
	reg.HandleFunc("staff.recovery.regenerate", post, "/staff/account/recovery-codes", SignedIn, a.regenerateCodes)
	reg.HandleFunc("staff.session.revoke", post, "/staff/account/sessions/{session:[0-9]+}/revoke", SignedIn, a.revokeSession)
	reg.HandleFunc("staff.password.change", post, "/staff/account/password", SignedIn, a.changePassword)
	reg.HandleFunc("staff.sessions.revoke_all", post, "/staff/account/sessions/revoke-all", SignedIn, a.revokeAllSessions)
	if a.opts.Alerts != nil { // only where the message service keeps staff choices (alerts.go)
		reg.HandleFunc("staff.alerts.save", post, "/staff/account/alerts", SignedIn, a.saveAlerts)
	}

	// One process: the guard reads {process}.
	reg.HandleFunc("staff.process", get, "/staff/processes/{process:[0-9]+}", Rule(staff.ViewDashboard), a.processPage)
	reg.HandleFunc("staff.process.audit", get, "/staff/processes/{process:[0-9]+}/audit", Rule(staff.EditProcess), a.processAudit)
	reg.HandleFunc("staff.process.staff", get, "/staff/processes/{process:[0-9]+}/staff", Rule(staff.ManageStaff), a.processStaff)

	// Admins (global permissions: no {process}).
	reg.HandleFunc("staff.admin.users", get, "/staff/admin/users", Rule(staff.ManageStaff), a.users)
	reg.HandleFunc("staff.admin.invite", post, "/staff/admin/users/invite", Rule(staff.ManageStaff), a.invite)
	reg.HandleFunc("staff.admin.user", get, "/staff/admin/users/{user:[0-9]+}", Rule(staff.ManageStaff), a.userPage)
	reg.HandleFunc("staff.admin.user.grant", post, "/staff/admin/users/{user:[0-9]+}/roles", Rule(staff.ManageStaff), a.grantRole)
	reg.HandleFunc("staff.admin.user.revoke", post, "/staff/admin/users/{user:[0-9]+}/roles/revoke", Rule(staff.ManageStaff), a.revokeRole)
	reg.HandleFunc("staff.admin.user.disable", post, "/staff/admin/users/{user:[0-9]+}/disable", Rule(staff.ManageStaff), a.setDisabled(true))
	reg.HandleFunc("staff.admin.user.enable", post, "/staff/admin/users/{user:[0-9]+}/enable", Rule(staff.ManageStaff), a.setDisabled(false))
	reg.HandleFunc("staff.admin.user.totp_off", post, "/staff/admin/users/{user:[0-9]+}/totp/disable", Rule(staff.ManageStaff), a.adminDisableTOTP)
	reg.HandleFunc("staff.admin.user.signout", post, "/staff/admin/users/{user:[0-9]+}/sessions/revoke", Rule(staff.ManageStaff), a.adminRevokeAll)
	reg.HandleFunc("staff.admin.invites", get, "/staff/admin/invitations", Rule(staff.ManageStaff), a.invitations)
	reg.HandleFunc("staff.admin.invite.revoke", post, "/staff/admin/invitations/{invite:[0-9]+}/revoke", Rule(staff.ManageStaff), a.revokeInvite)
	reg.HandleFunc("staff.admin.audit", get, "/staff/admin/audit", Rule(staff.ViewAudit), a.audit)
	// Messages (issue 12): the deliveries table and the local mailbox hold
	// every recipient's address and links, so they are the admins'.
	reg.HandleFunc("staff.admin.deliveries", get, "/staff/deliveries", Rule(staff.ManageStaff), a.deliveries)
	reg.HandleFunc("staff.admin.mailbox", get, "/staff/mailbox", Rule(staff.ManageStaff), a.mailbox)

	// The staff API: bearer session token (or the cookie, for reads).
	reg.HandleFunc("api.staff.me", get, "/api/v1/staff/me", SignedIn, a.apiMe)
	reg.HandleFunc("api.staff.process", get, "/api/v1/staff/processes/{process:[0-9]+}", Rule(staff.ViewDashboard), a.apiProcess)
	reg.HandleFunc("api.staff.audit", get, "/api/v1/staff/audit", Rule(staff.ViewAudit), a.apiAudit)
	reg.HandleFunc("api.staff.deliveries", get, "/api/v1/staff/deliveries", Rule(staff.ManageStaff), a.apiDeliveries)

	a.processFileRoutes(reg) // processfile.go
	a.eraseRoutes(reg)       // erase.go
}
