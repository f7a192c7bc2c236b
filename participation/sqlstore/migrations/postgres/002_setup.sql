-- Officials' workspace (issue 10): the process life cycle, the strategy
-- fields added by the set-up, translations, region hierarchies and shapes,
-- component settings, document section lineage and survey conditions.

-- state replaces published as the truth; published stays, kept equal to
-- state = 'published' by every write, so the citizen rules and the
-- one-statement writes that filter on it keep working unchanged.
ALTER TABLE processes ADD COLUMN state TEXT NOT NULL DEFAULT 'draft';
UPDATE processes SET state = 'published' WHERE published;
ALTER TABLE processes ADD COLUMN closed_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE processes ADD COLUMN closed_at TIMESTAMPTZ;
ALTER TABLE processes ADD COLUMN face_to_face TEXT NOT NULL DEFAULT '[]';
ALTER TABLE processes ADD COLUMN field_reasons TEXT NOT NULL DEFAULT '{}';
ALTER TABLE processes ADD COLUMN is_template BOOLEAN NOT NULL DEFAULT FALSE;

-- Texts in the process's other languages; base columns hold the first.
-- Entity ids are unique per kind, so the key needs no process.
CREATE TABLE translations (
    process_id BIGINT NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    entity     TEXT NOT NULL,
    entity_id  BIGINT NOT NULL,
    field      TEXT NOT NULL,
    lang       TEXT NOT NULL,
    text       TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id, field, lang)
);
CREATE INDEX translations_process ON translations (process_id);

ALTER TABLE regions ADD COLUMN parent_code TEXT NOT NULL DEFAULT '';
ALTER TABLE region_sets ADD COLUMN geojson TEXT NOT NULL DEFAULT '';

-- settings is the component's ProposalSettings as JSON ('' = defaults);
-- support_limit repeats the one setting the support statements filter on.
ALTER TABLE components ADD COLUMN settings TEXT NOT NULL DEFAULT '';
ALTER TABLE components ADD COLUMN support_limit INTEGER NOT NULL DEFAULT 0;

-- A section descends from the first version's section of its lineage;
-- comments follow the lineage across versions.
ALTER TABLE sections ADD COLUMN lineage_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sections ADD COLUMN changed BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE sections SET lineage_id = id;
CREATE INDEX sections_lineage ON sections (component_id, lineage_id, version);

-- A condition refers to the earlier question by id, so moving questions
-- keeps it; the API speaks positions.
ALTER TABLE questions ADD COLUMN show_if_question BIGINT;
ALTER TABLE questions ADD COLUMN show_if_choices TEXT NOT NULL DEFAULT '[]';
