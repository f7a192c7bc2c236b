package main

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/civicpulse/civicpulse/internal/sqldb"
	"github.com/civicpulse/civicpulse/staff"
)

// runAdmin manages staff accounts from the command line:
//
//	civicpulse admin create --email E --role admin
//	civicpulse admin grant  --email E --process ID --role official|moderator|analyst [--by ADMIN_EMAIL]
//
// The password never comes from a flag (flags show in ps): it is read from
// the file named by CIVICPULSE_ADMIN_PASSWORD_FILE, else from a prompt
// without echo, else (stdin not a terminal) from the first line of stdin.
func runAdmin(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errors.New("admin: want a subcommand: create or grant")
	}
	switch args[0] {
	case "create":
		return adminCreate(ctx, args[1:])
	case "grant":
		return adminGrant(ctx, args[1:])
	}
	return fmt.Errorf("admin: unknown subcommand %q (create, grant)", args[0])
}

// staffKey is the key that seals TOTP secrets, derived from the site secret
// so that serve and the command line agree without a second secret.
func staffKey(secret []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("civicpulse/staff/totp"))
	return m.Sum(nil)
}

// openStaff opens the participation database and the staff service on it.
func openStaff(ctx context.Context, cfg *config) (*sqldb.DB, *staff.Service, error) {
	secret, err := cfg.secret("CIVICPULSE_SECRET", "secret.key")
	if err != nil {
		return nil, nil, err
	}
	db, err := sqldb.Open(ctx, cfg.storeURL())
	if err != nil {
		return nil, nil, err
	}
	svc, err := staff.Open(ctx, db, staff.WithSecretKey(staffKey(secret)))
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, svc, nil
}

func adminCreate(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("admin create", flag.ContinueOnError)
	var cfg config
	cfg.register(fs)
	email := fs.String("email", "", "the administrator's email (sign-in name)")
	role := fs.String("role", "admin", "the account's role; the command line creates administrators only")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" {
		return errors.New("admin create: --email is required")
	}
	if *role != string(staff.RoleAdmin) {
		return fmt.Errorf("admin create: --role must be admin (invite other staff from the web, or use admin grant)")
	}
	password, err := readPassword(os.Stdin, os.Stderr)
	if err != nil {
		return err
	}
	db, svc, err := openStaff(ctx, &cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := svc.CreateAdmin(ctx, *email, password)
	if errors.Is(err, staff.ErrWeakPassword) {
		return fmt.Errorf("admin create: the password needs at least %d characters and must not contain the email", staff.MinPasswordLength)
	}
	if err != nil {
		return fmt.Errorf("admin create: %w", err)
	}
	fmt.Fprintf(os.Stderr, "administrator %d created; sign in at /staff/sign-in\n", u.ID)
	return nil
}

func adminGrant(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("admin grant", flag.ContinueOnError)
	var cfg config
	cfg.register(fs)
	email := fs.String("email", "", "the staff member's email")
	process := fs.Int64("process", 0, "the process id")
	role := fs.String("role", "", "official, moderator or analyst")
	by := fs.String("by", "", "the administrator the change is recorded for in the audit log (default: the only enabled administrator)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" || *process <= 0 || *role == "" {
		return errors.New("admin grant: --email, --process and --role are required")
	}
	db, svc, err := openStaff(ctx, &cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	users, err := svc.ListUsers(ctx)
	if err != nil {
		return err
	}
	var target, actor *staff.User
	var admins []staff.User
	for i, u := range users {
		if u.Email == staff.NormalizeEmail(*email) {
			target = &users[i]
		}
		if u.Admin && !u.Disabled {
			admins = append(admins, u)
			if *by != "" && u.Email == staff.NormalizeEmail(*by) {
				actor = &users[i]
			}
		}
	}
	switch {
	case target == nil:
		return fmt.Errorf("admin grant: no staff account has that email (invite it first)")
	case *by != "" && actor == nil:
		return fmt.Errorf("admin grant: --by does not name an enabled administrator")
	case *by == "" && len(admins) != 1:
		return fmt.Errorf("admin grant: %d enabled administrators; say which one acts with --by", len(admins))
	case actor == nil:
		actor = &admins[0]
	}
	// Every role change is an admin's act in the audit log, even a scripted one.
	if err := svc.Grant(ctx, actor.ID, target.ID, staff.Grant{ProcessID: *process, Role: staff.Role(*role)}); err != nil {
		return fmt.Errorf("admin grant: %w", err)
	}
	fmt.Fprintf(os.Stderr, "granted %s on process %d to staff member %d\n", *role, *process, target.ID)
	return nil
}

// readPassword takes the password from CIVICPULSE_ADMIN_PASSWORD_FILE, a
// prompt without echo (asked twice), or the first line of a piped stdin.
func readPassword(stdin *os.File, prompt io.Writer) (string, error) {
	if p := os.Getenv("CIVICPULSE_ADMIN_PASSWORD_FILE"); p != "" {
		b, err := os.ReadFile(p)
		if err != nil {
			return "", fmt.Errorf("admin: unable to read CIVICPULSE_ADMIN_PASSWORD_FILE: %w", err)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	fd := int(stdin.Fd())
	if term.IsTerminal(fd) {
		fmt.Fprint(prompt, "Password: ")
		first, err := term.ReadPassword(fd)
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("admin: unable to read the password: %w", err)
		}
		fmt.Fprint(prompt, "Repeat it: ")
		second, err := term.ReadPassword(fd)
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("admin: unable to read the password: %w", err)
		}
		if string(first) != string(second) {
			return "", errors.New("admin: the two passwords differ")
		}
		return string(first), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", errors.New("admin: no password on stdin (or set CIVICPULSE_ADMIN_PASSWORD_FILE)")
	}
	return strings.TrimRight(line, "\r\n"), nil
}
