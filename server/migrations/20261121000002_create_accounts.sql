-- Staff accounts, the sites each may see, sessions and the login-attempt log.

CREATE TABLE staff (
    id            uuid PRIMARY KEY,
    username      text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9_.-]{2,32}$'),
    display_name  text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 64),
    role          text NOT NULL CHECK (role IN ('tech', 'patrol', 'desk', 'eng_mgr', 'cs_mgr',
                                                'center_mgr', 'finance', 'security', 'admin')),
    phone         text,
    password_hash text NOT NULL,
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff_sites (
    staff_id uuid NOT NULL REFERENCES staff (id),
    site_id  uuid NOT NULL REFERENCES sites (id),
    PRIMARY KEY (staff_id, site_id)
);

-- Only the SHA-256 of the cookie token is stored: a leaked table opens no session.
CREATE TABLE sessions (
    token_sha256 bytea PRIMARY KEY,
    staff_id     uuid NOT NULL REFERENCES staff (id),
    created_at   timestamptz NOT NULL,
    renewed_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    user_agent   text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_staff_idx ON sessions (staff_id);

CREATE TABLE login_attempts (
    id         bigserial PRIMARY KEY,
    username   text NOT NULL,
    address    text NOT NULL,
    at         timestamptz NOT NULL,
    success    boolean NOT NULL
);
CREATE INDEX login_attempts_user_idx ON login_attempts (username, at) WHERE NOT success;
CREATE INDEX login_attempts_addr_idx ON login_attempts (address, at) WHERE NOT success;
