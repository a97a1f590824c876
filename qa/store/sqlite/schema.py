"""The article tables of the index's SQLite file, and the version that names their shape.

Tables other modules keep in this file are created by them, and an older newsqa creates the
ones it expects (`IF NOT EXISTS`), so they need no version here.
"""

from __future__ import annotations

SCHEMA_VERSION = "1"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    title TEXT, outlet TEXT, author TEXT, published TEXT, published_raw TEXT, url TEXT,
    origin TEXT NOT NULL, item TEXT,
    content_hash TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL,
    removed TEXT NOT NULL DEFAULT '[]',
    indexed INTEGER NOT NULL DEFAULT 0,
    added_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_unindexed ON articles(indexed) WHERE indexed = 0;
CREATE TABLE IF NOT EXISTS sources (
    key TEXT PRIMARY KEY,
    origin TEXT NOT NULL,
    container TEXT NOT NULL,
    item TEXT,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    raw_hash TEXT NOT NULL,
    seen_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sources_container ON sources(container);
CREATE INDEX IF NOT EXISTS sources_article ON sources(article_id);
CREATE TABLE IF NOT EXISTS sentences (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    text TEXT NOT NULL,
    norm_hash TEXT,
    UNIQUE (article_id, idx)
);
CREATE INDEX IF NOT EXISTS sentences_norm ON sentences(norm_hash) WHERE norm_hash IS NOT NULL;
CREATE VIRTUAL TABLE IF NOT EXISTS sentences_fts USING fts5(
    text, content='sentences', content_rowid='rowid', tokenize='porter unicode61'
);
CREATE TRIGGER IF NOT EXISTS sentences_ai AFTER INSERT ON sentences BEGIN
    INSERT INTO sentences_fts(rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER IF NOT EXISTS sentences_ad AFTER DELETE ON sentences BEGIN
    INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
CREATE TABLE IF NOT EXISTS article_links (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    other_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    score REAL NOT NULL,
    PRIMARY KEY (article_id, other_id)
);
CREATE TABLE IF NOT EXISTS vector_deletes (article_id TEXT PRIMARY KEY);
-- How many articles each outlet has ('' for none), kept at write time: every question reads the
-- outlets, and scanning the articles for them cost 83 ms at a million sentences.
CREATE TABLE IF NOT EXISTS outlets (name TEXT PRIMARY KEY, articles INTEGER NOT NULL) WITHOUT ROWID;
-- Totals `newsqa stats` shows (articles, sentences, removed pieces), kept at write time: counting
-- them scanned every article's removed pieces and a million sentences' index per call.
CREATE TABLE IF NOT EXISTS totals (name TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
-- The first and last publication dates in two index lookups, not a scan of every article.
CREATE INDEX IF NOT EXISTS articles_published ON articles(published) WHERE published IS NOT NULL;
-- What a sentence text says (`qa.claims`), read once per annotator version: keyed by the text,
-- so wire copies share it; an index made before claims gets the table on its next open.
CREATE TABLE IF NOT EXISTS claims (
    text TEXT PRIMARY KEY,
    version TEXT NOT NULL,
    data TEXT NOT NULL
) WITHOUT ROWID;
-- The collection's raw words (`qa.store.sqlite.vocabulary`): lower-cased runs of 3+ letters and
-- how many stored sentences use each. An index made before it gets it empty on its next open,
-- and the next ingest fills it from the stored sentences.
CREATE TABLE IF NOT EXISTS vocabulary (word TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
-- Named sets of articles (`qa.store.sqlite.collections`); an article in none is in the default.
CREATE TABLE IF NOT EXISTS collection_articles (
    collection TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (collection, article_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS collection_articles_article ON collection_articles(article_id);
"""
