-- Staff live in their own tables: no citizen (participant) row can ever be
-- turned into a staff account. Process ids are plain integers because the
-- processes belong to the participation stream, which migrates separately.

CREATE TABLE staff_users (
    id             BIGSERIAL PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,          -- normalised (trimmed, lower-case) in Go
    name           TEXT NOT NULL,
    password_hash  TEXT NOT NULL,                 -- argon2id, PHC string
    is_admin       BOOLEAN NOT NULL DEFAULT FALSE,
    disabled       BOOLEAN NOT NULL DEFAULT FALSE,
    totp_secret    TEXT,                          -- AES-GCM sealed, base64
    totp_pending   TEXT,                          -- sealed, until the first code confirms it
    totp_last_step BIGINT NOT NULL DEFAULT 0,     -- last accepted TOTP time step: no replays
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE staff_roles (
    user_id    BIGINT NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
    process_id BIGINT NOT NULL CHECK (process_id > 0),
    role       TEXT NOT NULL CHECK (role IN ('official', 'moderator', 'analyst')),
    granted_by BIGINT NOT NULL,
    granted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, process_id, role)
);
CREATE INDEX staff_roles_process ON staff_roles (process_id);

CREATE TABLE staff_recovery_codes (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    UNIQUE (user_id, code_hash)
);

-- One-time links: invitations (no account yet) and password resets.
CREATE TABLE staff_tokens (
    id         BIGSERIAL PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('invite', 'reset')),
    token_hash TEXT NOT NULL UNIQUE,
    email      TEXT NOT NULL,
    user_id    BIGINT REFERENCES staff_users(id) ON DELETE CASCADE,
    grants     TEXT NOT NULL DEFAULT '[]',
    created_by BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);

CREATE TABLE staff_sessions (
    id           BIGSERIAL PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    user_id      BIGINT NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX staff_sessions_user ON staff_sessions (user_id);

-- Keyed by a hash of the typed email, whether or not an account has it, so
-- that lock-out behaves the same for unknown addresses and stores none.
CREATE TABLE staff_login_throttle (
    email_key    TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL DEFAULT 0,
    lock_level   INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMPTZ,
    updated_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE staff_settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- No foreign key on actor_id: the log must outlive the accounts it names.
CREATE TABLE staff_audit (
    id          BIGSERIAL PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    actor_id    BIGINT NOT NULL DEFAULT 0,   -- 0: the command line / the system
    action      TEXT NOT NULL,
    process_id  BIGINT NOT NULL DEFAULT 0,   -- 0: not about one process
    target      TEXT NOT NULL DEFAULT '',
    before_json TEXT,
    after_json  TEXT
);
CREATE INDEX staff_audit_actor ON staff_audit (actor_id, id);
CREATE INDEX staff_audit_process ON staff_audit (process_id, id);
CREATE INDEX staff_audit_action ON staff_audit (action, id);
CREATE INDEX staff_audit_at ON staff_audit (at);

CREATE FUNCTION staff_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'staff_audit is append-only';
END
$$;
CREATE TRIGGER staff_audit_no_change BEFORE UPDATE OR DELETE ON staff_audit
    FOR EACH ROW EXECUTE FUNCTION staff_audit_append_only();
CREATE TRIGGER staff_audit_no_truncate BEFORE TRUNCATE ON staff_audit
    FOR EACH STATEMENT EXECUTE FUNCTION staff_audit_append_only();
