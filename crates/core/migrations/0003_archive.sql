-- Schema 3: review decisions and the tamper-evident archive.
--
-- Every review event (submission, approval with its waivers, request for changes, withdrawal,
-- comment and comment edit) is one signed entry. Entries are hash-chained (`prev` inside the
-- signed body) and form an RFC 9162 Merkle tree; these triggers make the table append-only for
-- anyone going through SQLite normally. A file's owner can still rewrite it, which is why
-- `ccm archive verify` checks every hash, link and signature instead of trusting the table.
CREATE TABLE archive_entries (
    seq         INTEGER PRIMARY KEY CHECK (seq >= 1),
    hash        TEXT    NOT NULL UNIQUE CHECK (length(hash) = 64),
    body        TEXT    NOT NULL,   -- canonical JSON (RFC 8785), exactly the bytes signed
    signature   TEXT    NOT NULL,   -- minisign signature (.minisig text) of `body`
    -- Copied out of `body` so that search never parses JSON; verify checks they agree.
    kind        TEXT    NOT NULL,
    template_id TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    brand       TEXT    NOT NULL,
    actor_key   TEXT    NOT NULL,
    actor_name  TEXT    NOT NULL,
    at          TEXT    NOT NULL,
    channels    TEXT    NOT NULL,   -- ' email sms ' (approvals: the channels rendered)
    rule_packs  TEXT    NOT NULL    -- ' id@sha8 … ' (approvals: the packs checked with)
);
CREATE INDEX archive_by_template ON archive_entries (template_id, seq);
CREATE INDEX archive_by_template_time ON archive_entries (template_id, at);
CREATE INDEX archive_by_time ON archive_entries (at);
CREATE INDEX archive_by_actor ON archive_entries (actor_key, at);
CREATE INDEX archive_by_brand ON archive_entries (brand, at);
CREATE INDEX archive_by_kind ON archive_entries (kind, at);

-- What search looks up besides the columns above: `channel:sms`, `pack:jp-yakki`,
-- `pack:jp-yakki@1a2b3c4d` (one row each), so "approvals that rendered SMS" or "checked with
-- this pack version" is an index lookup, not a scan of every entry.
CREATE TABLE archive_tags (
    tag TEXT    NOT NULL,
    seq INTEGER NOT NULL REFERENCES archive_entries (seq),
    PRIMARY KEY (tag, seq)
) WITHOUT ROWID;

CREATE TRIGGER archive_tags_append_only_update BEFORE UPDATE ON archive_tags
BEGIN SELECT RAISE(ABORT, 'archive entries are append-only'); END;
CREATE TRIGGER archive_tags_append_only_delete BEFORE DELETE ON archive_tags
BEGIN SELECT RAISE(ABORT, 'archive entries are append-only'); END;

CREATE TRIGGER archive_entries_append_only_update BEFORE UPDATE ON archive_entries
BEGIN SELECT RAISE(ABORT, 'archive entries are append-only'); END;
CREATE TRIGGER archive_entries_append_only_delete BEFORE DELETE ON archive_entries
BEGIN SELECT RAISE(ABORT, 'archive entries are append-only'); END;

-- Signed heads (C2SP checkpoints), one per tree size reached. A copy kept elsewhere is what
-- detects a rolled-back head; the rows here catch a rollback that left them behind.
CREATE TABLE archive_checkpoints (
    size INTEGER PRIMARY KEY CHECK (size >= 1),
    root TEXT    NOT NULL CHECK (length(root) = 64),
    note TEXT    NOT NULL
);

CREATE TRIGGER archive_checkpoints_append_only_update BEFORE UPDATE ON archive_checkpoints
BEGIN SELECT RAISE(ABORT, 'archive checkpoints are append-only'); END;
CREATE TRIGGER archive_checkpoints_append_only_delete BEFORE DELETE ON archive_checkpoints
BEGIN SELECT RAISE(ABORT, 'archive checkpoints are append-only'); END;
