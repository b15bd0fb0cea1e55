-- Zweifaktor portal schema, version 1.
-- Written in the SQL that SQLite and PostgreSQL share, so one migration set serves both:
-- text ids (random hex), BIGINT unix seconds, BIGINT 0/1 flags, binary data as base64 text.

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    seed_enc TEXT NOT NULL,
    disabled BIGINT NOT NULL DEFAULT 0,
    failures BIGINT NOT NULL DEFAULT 0,
    must_enroll BIGINT NOT NULL DEFAULT 0,
    last_totp_step BIGINT NOT NULL DEFAULT -1,
    must_change_password BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    csrf TEXT NOT NULL,
    user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
    stage TEXT NOT NULL,
    login_id TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE logins (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    nonce TEXT NOT NULL,
    status TEXT NOT NULL,
    wrong_codes BIGINT NOT NULL DEFAULT 0,
    seen BIGINT NOT NULL DEFAULT 0,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX logins_user ON logins(user_id, created_at);

CREATE TABLE enroll_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL,
    used BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    public_key TEXT NOT NULL,
    label TEXT NOT NULL,
    platform TEXT NOT NULL,
    push_token TEXT,
    token_hash TEXT NOT NULL UNIQUE,
    revoked BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX devices_user ON devices(user_id);

CREATE TABLE answer_nonces (
    device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    nonce TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (device_id, nonce)
);

CREATE TABLE recovery_codes (
    code_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    used BIGINT NOT NULL DEFAULT 0
);
