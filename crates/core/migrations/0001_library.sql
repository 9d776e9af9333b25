-- Schema 1: the template library.
-- Applied inside one transaction by store::schema; PRAGMA user_version records the schema.

-- Content-addressed bytes (logos, images, thumbnails): sha256 hex -> bytes.
CREATE TABLE blobs (
    hash  TEXT    NOT NULL UNIQUE CHECK (length(hash) = 64),
    size  INTEGER NOT NULL,
    bytes BLOB    NOT NULL
);

-- One row per template: identity plus a denormalised copy of the latest manifest, so that
-- listing and filtering never parse a version.
-- `key` gives the search index a rowid that VACUUM cannot renumber.
CREATE TABLE templates (
    key            INTEGER PRIMARY KEY,
    id             TEXT    NOT NULL UNIQUE,
    name           TEXT    NOT NULL,
    description    TEXT    NOT NULL,
    tags           TEXT    NOT NULL,            -- JSON array, manifest order
    industry       TEXT    NOT NULL,
    purpose        TEXT    NOT NULL,
    brand          TEXT    NOT NULL,
    locales        TEXT    NOT NULL,            -- JSON array, default first
    latest_version INTEGER NOT NULL,
    latest_hash    TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL
);
CREATE INDEX templates_by_brand ON templates (brand);
CREATE INDEX templates_by_industry ON templates (industry);

CREATE TABLE template_tags (
    template_id TEXT NOT NULL REFERENCES templates (id),
    tag         TEXT NOT NULL,
    PRIMARY KEY (template_id, tag)
) WITHOUT ROWID;
CREATE INDEX template_tags_by_tag ON template_tags (tag, template_id);

-- Immutable snapshots. `files` is the canonical JSON of TemplateFiles (keys sorted).
-- A hash may repeat within a template (A -> B -> A is a revert and a real new version),
-- so (template_id, hash) is indexed, not unique.
CREATE TABLE versions (
    template_id TEXT    NOT NULL REFERENCES templates (id),
    number      INTEGER NOT NULL CHECK (number >= 1),
    hash        TEXT    NOT NULL CHECK (length(hash) = 64),
    parent      TEXT,
    created_at  TEXT    NOT NULL,
    author      TEXT    NOT NULL,
    message     TEXT    NOT NULL,
    files       TEXT    NOT NULL,
    PRIMARY KEY (template_id, number)
);
CREATE INDEX versions_by_hash ON versions (template_id, hash);

CREATE TRIGGER versions_are_immutable_update BEFORE UPDATE ON versions
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
CREATE TRIGGER versions_are_immutable_delete BEFORE DELETE ON versions
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;

-- Shared blocks; locale '' is the locale-neutral variant.
CREATE TABLE blocks (
    name           TEXT    NOT NULL,
    locale         TEXT    NOT NULL,
    latest_version INTEGER NOT NULL,
    latest_hash    TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    PRIMARY KEY (name, locale)
);

CREATE TABLE block_versions (
    name       TEXT    NOT NULL,
    locale     TEXT    NOT NULL,
    number     INTEGER NOT NULL CHECK (number >= 1),
    hash       TEXT    NOT NULL CHECK (length(hash) = 64),
    parent     TEXT,
    created_at TEXT    NOT NULL,
    author     TEXT    NOT NULL,
    content    TEXT    NOT NULL,
    PRIMARY KEY (name, locale, number),
    FOREIGN KEY (name, locale) REFERENCES blocks (name, locale)
);

CREATE TRIGGER block_versions_are_immutable_update BEFORE UPDATE ON block_versions
BEGIN SELECT RAISE(ABORT, 'block versions are immutable'); END;
CREATE TRIGGER block_versions_are_immutable_delete BEFORE DELETE ON block_versions
BEGIN SELECT RAISE(ABORT, 'block versions are immutable'); END;

-- Brand kits: the files of assets/brands/<id>/, versioned by a hash over all of them.
CREATE TABLE brands (
    id             TEXT    PRIMARY KEY NOT NULL,
    name           TEXT    NOT NULL,
    latest_version INTEGER NOT NULL,
    latest_hash    TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL
);

CREATE TABLE brand_versions (
    brand_id   TEXT    NOT NULL REFERENCES brands (id),
    number     INTEGER NOT NULL CHECK (number >= 1),
    hash       TEXT    NOT NULL CHECK (length(hash) = 64),
    parent     TEXT,
    created_at TEXT    NOT NULL,
    author     TEXT    NOT NULL,
    PRIMARY KEY (brand_id, number)
);

CREATE TABLE brand_version_files (
    brand_id  TEXT    NOT NULL,
    number    INTEGER NOT NULL,
    path      TEXT    NOT NULL,
    blob_hash TEXT    NOT NULL REFERENCES blobs (hash),
    PRIMARY KEY (brand_id, number, path),
    FOREIGN KEY (brand_id, number) REFERENCES brand_versions (brand_id, number)
) WITHOUT ROWID;

CREATE TRIGGER brand_versions_are_immutable_update BEFORE UPDATE ON brand_versions
BEGIN SELECT RAISE(ABORT, 'brand versions are immutable'); END;
CREATE TRIGGER brand_versions_are_immutable_delete BEFORE DELETE ON brand_versions
BEGIN SELECT RAISE(ABORT, 'brand versions are immutable'); END;
CREATE TRIGGER brand_version_files_are_immutable_update BEFORE UPDATE ON brand_version_files
BEGIN SELECT RAISE(ABORT, 'brand versions are immutable'); END;
CREATE TRIGGER brand_version_files_are_immutable_delete BEFORE DELETE ON brand_version_files
BEGIN SELECT RAISE(ABORT, 'brand versions are immutable'); END;

-- Images known to the library, by the path templates use (`brands/sakura-bank/logo.png`).
CREATE TABLE assets (
    path           TEXT    PRIMARY KEY NOT NULL,
    hash           TEXT    NOT NULL REFERENCES blobs (hash),
    media_type     TEXT    NOT NULL,
    bytes          INTEGER NOT NULL,
    width          INTEGER,
    height         INTEGER,
    thumbnail_hash TEXT REFERENCES blobs (hash)
);

-- Full-text search over the latest version of each template; rowid = templates.key.
-- Trigram tokens find Japanese words inside longer text, which unicode61 cannot segment.
CREATE VIRTUAL TABLE template_search USING fts5 (
    id, name, description, tags, body,
    tokenize = 'trigram'
);

-- The distinct trigrams of the index. A one- or two-character search term has no trigram of
-- its own; it is expanded to the indexed trigrams that start with it (every indexed value
-- ends in two spaces, so every occurrence is followed by at least two characters).
CREATE VIRTUAL TABLE template_search_terms USING fts5vocab (template_search, 'row');
