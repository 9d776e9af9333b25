-- Schema 2: who made what, and who is on the team.

-- The key fingerprint (minisign key id, 16 hex digits) of the identity that made a version;
-- NULL for versions made before identities existed or by a process without one. `author`
-- keeps saying where the version came from (app, import, watch, cli).
ALTER TABLE versions ADD COLUMN author_key TEXT;
ALTER TABLE block_versions ADD COLUMN author_key TEXT;
ALTER TABLE brand_versions ADD COLUMN author_key TEXT;

-- The team roster (templates/_team/), versioned like everything else: each version is the
-- whole roster as canonical JSON (members sorted by key fingerprint), so "who could approve
-- on that day" has one answer.
CREATE TABLE team_versions (
    number     INTEGER PRIMARY KEY CHECK (number >= 1),
    hash       TEXT    NOT NULL CHECK (length(hash) = 64),
    created_at TEXT    NOT NULL,
    author     TEXT    NOT NULL,
    author_key TEXT,
    members    TEXT    NOT NULL
);

CREATE TRIGGER team_versions_are_immutable_update BEFORE UPDATE ON team_versions
BEGIN SELECT RAISE(ABORT, 'team versions are immutable'); END;
CREATE TRIGGER team_versions_are_immutable_delete BEFORE DELETE ON team_versions
BEGIN SELECT RAISE(ABORT, 'team versions are immutable'); END;
