-- Access control: users, personal API tokens, failed-login counters and the audit log.

-- Usernames are stored in lower case (they are case-insensitive); passwords only as a
-- PBKDF2-HMAC-SHA512 hash in the form algorithm:iterations:salt:hash.
CREATE TABLE app_user (
    username             varchar(64) PRIMARY KEY CHECK (username ~ '^[a-z0-9._@-]{1,64}$'),
    role                 varchar(16) NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    password_hash        text        NOT NULL,
    must_change_password boolean     NOT NULL DEFAULT false,
    disabled             boolean     NOT NULL DEFAULT false,
    created_at           timestamptz NOT NULL,
    last_login_at        timestamptz,
    password_changed_at  timestamptz NOT NULL
);

-- Only the SHA-256 of a token is kept; a token dies with its owner.
CREATE TABLE api_token (
    id           varchar(36) PRIMARY KEY,
    owner        varchar(64) NOT NULL REFERENCES app_user (username) ON DELETE CASCADE,
    name         varchar(200) NOT NULL,
    role         varchar(16) NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    token_sha256 bytea       NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz,
    last_used_at timestamptz
);
CREATE INDEX api_token_owner ON api_token (owner);

-- Attempts since the last successful login of a username (known or not); a username with
-- five failures in a row is locked until locked_until.
CREATE TABLE login_attempt (
    username     varchar(200) PRIMARY KEY,
    failures     integer     NOT NULL,
    locked_until timestamptz,
    last_at      timestamptz NOT NULL
);

-- Who did what. Never a password, a token or a row's values.
CREATE TABLE audit_log (
    id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at     timestamptz  NOT NULL,
    actor  varchar(200),
    action varchar(64)  NOT NULL,
    target text,
    detail text
);
