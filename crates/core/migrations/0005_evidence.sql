-- Schema 5: each approval's evidence PDF, made once and kept.
--
-- The evidence PDF (the review record a compliance officer files, and that every pack carries)
-- takes far longer to make than anything else in an export: the letter's pages are rendered
-- again as pictures. It is made when the approval is recorded and its bytes are kept in
-- `blobs` (content-addressed by sha256); approvals recorded before this schema get theirs the
-- first time one is needed. Archive entries stay untouched: this table only points from an
-- entry to a blob. Rows are append-only, so a pack cut later holds the same bytes.
CREATE TABLE archive_evidence (
    seq    INTEGER NOT NULL REFERENCES archive_entries (seq),
    lang   TEXT    NOT NULL CHECK (lang IN ('en', 'ja')),
    sha256 TEXT    NOT NULL REFERENCES blobs (hash) CHECK (length(sha256) = 64),
    PRIMARY KEY (seq, lang)
) WITHOUT ROWID;

CREATE TRIGGER archive_evidence_append_only_update BEFORE UPDATE ON archive_evidence
BEGIN SELECT RAISE(ABORT, 'evidence records are append-only'); END;
CREATE TRIGGER archive_evidence_append_only_delete BEFORE DELETE ON archive_evidence
BEGIN SELECT RAISE(ABORT, 'evidence records are append-only'); END;
