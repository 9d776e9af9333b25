-- Schema 4: approvals imported from signed packs (`ccm pack import`).
--
-- A pack is cut by a brand team from another library's archive and signed as a whole. The
-- receiving library does not re-sign anything: it keeps each approval entry exactly as its
-- approver signed it (body and minisign signature), with where it came from. Both tables are
-- append-only, like the archive; `sequence` only grows per brand, which is how an older pack
-- replayed later (a rollback) is refused.
CREATE TABLE pack_imports (
    pack_id       TEXT    PRIMARY KEY,
    brand         TEXT    NOT NULL,
    sequence      INTEGER NOT NULL CHECK (sequence >= 1),
    signer_key    TEXT    NOT NULL,   -- key fingerprint of the brand member who signed the pack
    signer_name   TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,   -- as the pack says (the archive head entry's time)
    archive_size  INTEGER NOT NULL,
    archive_root  TEXT    NOT NULL CHECK (length(archive_root) = 64),
    checkpoint    TEXT    NOT NULL,   -- the signed head the pack was cut from
    pack_sha256   TEXT    NOT NULL CHECK (length(pack_sha256) = 64),
    imported_at   TEXT    NOT NULL,
    UNIQUE (brand, sequence)
);

CREATE TABLE pack_approvals (
    pack_id          TEXT    NOT NULL REFERENCES pack_imports (pack_id),
    template_id      TEXT    NOT NULL,
    version          INTEGER NOT NULL,  -- this library's number for the imported version
    version_hash     TEXT    NOT NULL CHECK (length(version_hash) = 64),
    entry_seq        INTEGER NOT NULL,  -- the entry's place in the sending library's archive
    entry_hash       TEXT    NOT NULL CHECK (length(entry_hash) = 64),
    entry_body       TEXT    NOT NULL,  -- canonical JSON, exactly the bytes the approver signed
    entry_signature  TEXT    NOT NULL,
    manifest_sha256  TEXT    NOT NULL CHECK (length(manifest_sha256) = 64),
    approver_key     TEXT    NOT NULL,
    approver_name    TEXT    NOT NULL,
    approved_at      TEXT    NOT NULL,
    PRIMARY KEY (pack_id, template_id)
);
CREATE INDEX pack_approvals_by_template ON pack_approvals (template_id);

CREATE TRIGGER pack_imports_append_only_update BEFORE UPDATE ON pack_imports
BEGIN SELECT RAISE(ABORT, 'pack imports are append-only'); END;
CREATE TRIGGER pack_imports_append_only_delete BEFORE DELETE ON pack_imports
BEGIN SELECT RAISE(ABORT, 'pack imports are append-only'); END;
CREATE TRIGGER pack_approvals_append_only_update BEFORE UPDATE ON pack_approvals
BEGIN SELECT RAISE(ABORT, 'imported approvals are append-only'); END;
CREATE TRIGGER pack_approvals_append_only_delete BEFORE DELETE ON pack_approvals
BEGIN SELECT RAISE(ABORT, 'imported approvals are append-only'); END;
