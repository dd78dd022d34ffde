/**
 * Versioned schema migrations, applied by the app on start.
 *
 * PRAGMA user_version records how many have run; each migration runs in its
 * own transaction, so a crash mid-migration leaves the previous version.
 * Append only: never edit a migration that has shipped.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    talk_id TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    control TEXT NOT NULL,
    peak_audience INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX sessions_by_talk ON sessions (talk_id, ended_at);
  CREATE TABLE chat (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions (id),
    author_id TEXT NOT NULL,
    name TEXT NOT NULL,
    text TEXT NOT NULL,
    ts INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX chat_by_session ON chat (session_id, id);
  CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions (id),
    author_id TEXT NOT NULL,
    name TEXT NOT NULL,
    text TEXT NOT NULL,
    slide_h INTEGER NOT NULL,
    slide_v INTEGER NOT NULL,
    votes INTEGER NOT NULL DEFAULT 0,
    answered INTEGER NOT NULL DEFAULT 0,
    hidden INTEGER NOT NULL DEFAULT 0,
    ts INTEGER NOT NULL
  );
  CREATE INDEX questions_by_session ON questions (session_id);
  CREATE TABLE votes (
    question_id INTEGER NOT NULL REFERENCES questions (id),
    voter_key TEXT NOT NULL,
    PRIMARY KEY (question_id, voter_key)
  ) WITHOUT ROWID;
  CREATE TABLE bans (
    talk_id TEXT NOT NULL,
    author_id TEXT NOT NULL,
    banned_at INTEGER NOT NULL,
    PRIMARY KEY (talk_id, author_id)
  ) WITHOUT ROWID;
  `,
  // Live polls: one vote per voter and poll (a new vote replaces the old), and whether the poll is closed.
  `
  CREATE TABLE poll_votes (
    session_id INTEGER NOT NULL REFERENCES sessions (id),
    poll_id TEXT NOT NULL,
    voter_key TEXT NOT NULL,
    choice INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    PRIMARY KEY (session_id, poll_id, voter_key)
  ) WITHOUT ROWID;
  CREATE TABLE poll_state (
    session_id INTEGER NOT NULL REFERENCES sessions (id),
    poll_id TEXT NOT NULL,
    closed INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (session_id, poll_id)
  ) WITHOUT ROWID;
  `,
  // Review mode: a question held for the presenter's approval.
  `
  ALTER TABLE questions ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
  `,
  // The series: what a session's report reads (slide changes and timer actions with their time, audience samples,
  // reactions per slide) and what the room shows (the live talk and session), shared by every process on the file.
  `
  CREATE TABLE timeline (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions (id),
    ts INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('slide', 'timer')),
    h INTEGER,
    v INTEGER,
    f INTEGER,
    action TEXT CHECK (action IN ('start', 'pause', 'reset'))
  );
  CREATE INDEX timeline_by_session ON timeline (session_id, id);
  CREATE TABLE audience_samples (
    session_id INTEGER NOT NULL REFERENCES sessions (id),
    ts INTEGER NOT NULL,
    n INTEGER NOT NULL
  );
  CREATE INDEX audience_by_session ON audience_samples (session_id, ts);
  CREATE TABLE slide_reactions (
    session_id INTEGER NOT NULL REFERENCES sessions (id),
    h INTEGER NOT NULL,
    v INTEGER NOT NULL,
    emoji TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (session_id, h, v, emoji)
  ) WITHOUT ROWID;
  CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // A presenter's own chat messages carry a badge.
  `
  ALTER TABLE chat ADD COLUMN presenter INTEGER NOT NULL DEFAULT 0;
  `,
  // Word clouds and open text: entries (a word or an answer each), the words removed from a cloud, and what the projector shows.
  `
  CREATE TABLE poll_entries (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions (id),
    poll_id TEXT NOT NULL,
    voter_key TEXT NOT NULL,
    author_id TEXT NOT NULL,
    name TEXT NOT NULL,
    text TEXT NOT NULL,
    key TEXT NOT NULL,
    hidden INTEGER NOT NULL DEFAULT 0,
    ts INTEGER NOT NULL
  );
  CREATE INDEX poll_entries_by_poll ON poll_entries (session_id, poll_id, key);
  CREATE INDEX poll_entries_by_voter ON poll_entries (session_id, voter_key, poll_id);
  CREATE TABLE poll_hidden_words (
    session_id INTEGER NOT NULL REFERENCES sessions (id),
    poll_id TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (session_id, poll_id, key)
  ) WITHOUT ROWID;
  ALTER TABLE poll_state ADD COLUMN shown TEXT NOT NULL DEFAULT '';
  `,
  // Held people (issue 18, item 5): addresses a ban marked for a session (keyed hashes, never the addresses), who is
  // known there (never held) or held for the presenter's approval, and held people's messages waiting.
  `
  CREATE TABLE address_marks (
    session_id INTEGER NOT NULL REFERENCES sessions (id),
    address_key TEXT NOT NULL,
    marked_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, address_key)
  ) WITHOUT ROWID;
  CREATE TABLE session_people (
    session_id INTEGER NOT NULL REFERENCES sessions (id),
    author_id TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('known', 'held')),
    since INTEGER NOT NULL,
    PRIMARY KEY (session_id, author_id)
  ) WITHOUT ROWID;
  CREATE TABLE held_chat (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions (id),
    author_id TEXT NOT NULL,
    name TEXT NOT NULL,
    text TEXT NOT NULL,
    ts INTEGER NOT NULL
  );
  CREATE INDEX held_chat_by_author ON held_chat (session_id, author_id);
  `,
];
