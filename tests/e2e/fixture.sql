-- Data for tests/e2e.rs, loaded by .ci/services as the database owner.
--
-- The application's tables, views and enum types live in schema litellm.
-- An older release left copies of some of them in public with other rows
-- or labels, so a statement that misses its schema can read the wrong data
-- without any error. Four more schemas have names that only work quoted and
-- hold a smaller copy of the tables.
--
-- Loading it again starts from scratch.

\set ON_ERROR_STOP on
SET client_min_messages = warning;

DROP SCHEMA IF EXISTS litellm CASCADE;
DROP SCHEMA IF EXISTS pgqualify_e2e CASCADE;
DROP SCHEMA IF EXISTS "My Schema" CASCADE;
DROP SCHEMA IF EXISTS "a""b" CASCADE;
DROP SCHEMA IF EXISTS "Acme Corp Production Tenant 00042 - Schema At The 63-Byte Limit" CASCADE;
DROP SCHEMA IF EXISTS "Ünïcödé" CASCADE;
DROP TABLE IF EXISTS public."LiteLLM_VerificationToken" CASCADE;
DROP TABLE IF EXISTS public."LiteLLM_UserTable" CASCADE;
DROP VIEW IF EXISTS public."MonthlyGlobalSpend";
DROP TABLE IF EXISTS public."LiteLLM_DailySpend" CASCADE;
DROP TYPE IF EXISTS public."JobStatus" CASCADE;

CREATE SCHEMA litellm;

CREATE TABLE litellm."LiteLLM_BudgetTable" (
    budget_id             text PRIMARY KEY,
    max_budget            double precision,
    soft_budget           double precision,
    max_parallel_requests integer,
    tpm_limit             bigint,
    rpm_limit             bigint,
    model_max_budget      jsonb,
    budget_duration       text,
    budget_reset_at       timestamptz,
    created_at            timestamptz NOT NULL,
    created_by            text NOT NULL,
    updated_at            timestamptz NOT NULL,
    updated_by            text NOT NULL
);

CREATE TABLE litellm."LiteLLM_OrganizationTable" (
    organization_id    text PRIMARY KEY,
    organization_alias text NOT NULL,
    budget_id          text NOT NULL REFERENCES litellm."LiteLLM_BudgetTable",
    metadata           jsonb NOT NULL DEFAULT '{}',
    models             text[] NOT NULL DEFAULT '{}',
    spend              double precision NOT NULL DEFAULT 0,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);

CREATE TABLE litellm."LiteLLM_TeamTable" (
    team_id               text PRIMARY KEY,
    team_alias            text,
    organization_id       text REFERENCES litellm."LiteLLM_OrganizationTable",
    admins                text[] NOT NULL DEFAULT '{}',
    members               text[] NOT NULL DEFAULT '{}',
    members_with_roles    jsonb NOT NULL DEFAULT '{}',
    metadata              jsonb NOT NULL DEFAULT '{}',
    max_budget            double precision,
    spend                 double precision NOT NULL DEFAULT 0,
    models                text[] NOT NULL DEFAULT '{}',
    max_parallel_requests integer,
    tpm_limit             bigint,
    rpm_limit             bigint,
    budget_duration       text,
    budget_reset_at       timestamptz,
    blocked               boolean NOT NULL DEFAULT false,
    model_spend           jsonb NOT NULL DEFAULT '{}',
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    updated_by            text
);

CREATE TABLE litellm."LiteLLM_UserTable" (
    user_id         text PRIMARY KEY,
    user_alias      text,
    team_id         text,
    organization_id text,
    teams           text[] NOT NULL DEFAULT '{}',
    user_role       text,
    max_budget      double precision,
    spend           double precision NOT NULL DEFAULT 0,
    user_email      text,
    models          text[] NOT NULL DEFAULT '{}',
    metadata        jsonb NOT NULL DEFAULT '{}',
    budget_duration text,
    budget_reset_at timestamptz
);

CREATE TABLE litellm."LiteLLM_VerificationToken" (
    token                  text PRIMARY KEY,
    key_name               text,
    key_alias              text,
    spend                  double precision NOT NULL DEFAULT 0,
    expires                timestamptz,
    models                 text[] NOT NULL DEFAULT '{}',
    aliases                jsonb NOT NULL DEFAULT '{}',
    config                 jsonb NOT NULL DEFAULT '{}',
    user_id                text,
    team_id                text,
    permissions            jsonb NOT NULL DEFAULT '{}',
    max_parallel_requests  integer,
    metadata               jsonb NOT NULL DEFAULT '{}',
    blocked                boolean,
    tpm_limit              bigint,
    rpm_limit              bigint,
    max_budget             double precision,
    budget_duration        text,
    budget_reset_at        timestamptz,
    allowed_cache_controls text[] NOT NULL DEFAULT '{}',
    model_spend            jsonb NOT NULL DEFAULT '{}',
    model_max_budget       jsonb NOT NULL DEFAULT '{}',
    budget_id              text REFERENCES litellm."LiteLLM_BudgetTable",
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL
);

CREATE TABLE litellm."LiteLLM_SpendLogs" (
    request_id        text PRIMARY KEY,
    call_type         text NOT NULL,
    api_key           text NOT NULL DEFAULT '',
    spend             double precision NOT NULL DEFAULT 0,
    total_tokens      integer NOT NULL DEFAULT 0,
    prompt_tokens     integer NOT NULL DEFAULT 0,
    completion_tokens integer NOT NULL DEFAULT 0,
    "startTime"       timestamptz NOT NULL,
    "endTime"         timestamptz NOT NULL,
    model             text NOT NULL DEFAULT '',
    model_group       text NOT NULL DEFAULT '',
    api_base          text NOT NULL DEFAULT '',
    "user"            text NOT NULL DEFAULT '',
    metadata          jsonb NOT NULL DEFAULT '{}',
    cache_hit         text NOT NULL DEFAULT '',
    request_tags      jsonb NOT NULL DEFAULT '[]',
    team_id           text,
    end_user          text
);

CREATE TABLE litellm."LiteLLM_DailyUserSpend" (
    id                  text PRIMARY KEY,
    user_id             text NOT NULL,
    date                text NOT NULL,
    api_key             text NOT NULL,
    model               text NOT NULL,
    custom_llm_provider text NOT NULL DEFAULT '',
    prompt_tokens       bigint NOT NULL DEFAULT 0,
    completion_tokens   bigint NOT NULL DEFAULT 0,
    spend               double precision NOT NULL DEFAULT 0,
    api_requests        bigint NOT NULL DEFAULT 0,
    UNIQUE (user_id, date, api_key, model, custom_llm_provider)
);

CREATE TABLE litellm."LiteLLM_Config" (
    param_name  text PRIMARY KEY,
    param_value jsonb
);

CREATE TABLE litellm."LiteLLM_AuditLog" (
    id             text PRIMARY KEY,
    updated_at     timestamptz NOT NULL,
    changed_by     text NOT NULL,
    action         text NOT NULL,
    table_name     text NOT NULL,
    object_id      text NOT NULL,
    before_value   jsonb,
    updated_values jsonb
);

-- Its own copy of a key's row, to prove CAST(... AS "LiteLLM_...") and
-- friends find the right row type.
CREATE TABLE litellm."LiteLLM_DeletedVerificationToken"
    (LIKE litellm."LiteLLM_VerificationToken");

CREATE VIEW litellm."LiteLLM_VerificationTokenView" AS
SELECT v.token, v.key_alias, v.spend, v.team_id,
       t.team_alias, t.max_budget AS team_max_budget, t.spend AS team_spend
  FROM litellm."LiteLLM_VerificationToken" v
  LEFT JOIN litellm."LiteLLM_TeamTable" t ON t.team_id = v.team_id;

-- Enum types as Prisma creates them: under the enum's name, or under its
-- @@map name.
CREATE TYPE litellm."JobStatus" AS ENUM ('QUEUED', 'RUNNING', 'PAUSED', 'done');
CREATE TYPE litellm.accounting_delivery_state AS ENUM ('PENDING', 'DELIVERED');

-- Batch jobs run on behalf of a team. requested is the status a client
-- asked for, kept as text by an older release.
CREATE TABLE litellm."ManagedJob" (
    id         text PRIMARY KEY,
    status     litellm."JobStatus" NOT NULL DEFAULT 'QUEUED',
    delivery   litellm.accounting_delivery_state,
    requested  text,
    created_at timestamptz NOT NULL
);

-- Spend per team and day, one partition per month. February is made ahead
-- of time and still empty.
CREATE TABLE litellm."LiteLLM_DailySpend" (
    date    date NOT NULL,
    team_id text NOT NULL,
    spend   double precision NOT NULL DEFAULT 0,
    PRIMARY KEY (date, team_id)
) PARTITION BY RANGE (date);
CREATE TABLE litellm."LiteLLM_DailySpend_2024_12" PARTITION OF litellm."LiteLLM_DailySpend"
    FOR VALUES FROM ('2024-12-01') TO ('2025-01-01');
CREATE TABLE litellm."LiteLLM_DailySpend_2025_01" PARTITION OF litellm."LiteLLM_DailySpend"
    FOR VALUES FROM ('2025-01-01') TO ('2025-02-01');
CREATE TABLE litellm."LiteLLM_DailySpend_2025_02" PARTITION OF litellm."LiteLLM_DailySpend"
    FOR VALUES FROM ('2025-02-01') TO ('2025-03-01');

-- Views the dashboard reads, under names without the LiteLLM_ prefix.
CREATE VIEW litellm."MonthlyGlobalSpend" AS
SELECT "startTime"::date AS date, sum(spend) AS spend
  FROM litellm."LiteLLM_SpendLogs"
 GROUP BY 1;

CREATE VIEW litellm."Last30dKeysBySpend" AS
SELECT s.api_key, v.key_alias, sum(s.spend) AS total_spend
  FROM litellm."LiteLLM_SpendLogs" s
  LEFT JOIN litellm."LiteLLM_VerificationToken" v ON v.token = s.api_key
 GROUP BY 1, 2;

-- Sets updated_by, so a test can see the trigger fire.
CREATE FUNCTION litellm.stamp_updated_by() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_by := 'trigger:' || TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME;
    RETURN NEW;
END
$$;

INSERT INTO litellm."LiteLLM_BudgetTable" VALUES
 ('budget-free',       10,   8, 2,   10000,  60, NULL,                     '30d', '2025-02-01 00:00Z', '2024-11-02 09:00Z', 'admin', '2024-11-02 09:00Z', 'admin'),
 ('budget-team',      500, 400, 20, 200000, 600, '{"gpt-4o": 200}',       '30d', '2025-02-01 00:00Z', '2024-11-02 09:05Z', 'admin', '2024-12-01 10:00Z', 'admin'),
 ('budget-enterprise', 5000, NULL, 100, NULL, NULL, '{"claude-3-5-sonnet": 1500, "gpt-4o": 2000}', '1mo', '2025-02-01 00:00Z', '2024-11-03 12:00Z', 'ops@acme.test', '2025-01-07 08:30Z', 'ops@acme.test');

INSERT INTO litellm."LiteLLM_OrganizationTable" VALUES
 ('org-acme',   'Acme Corp',   'budget-enterprise', '{"region": "eu"}', '{gpt-4o,claude-3-5-sonnet}', 812.25, '2024-11-03 12:01Z', '2025-01-07 08:31Z'),
 ('org-globex', 'Globex Labs', 'budget-team',       '{"region": "us"}', '{gpt-4o-mini}',               41.5,   '2024-12-10 15:00Z', '2024-12-10 15:00Z');

INSERT INTO litellm."LiteLLM_TeamTable"
 (team_id, team_alias, organization_id, admins, members, members_with_roles, metadata, max_budget, spend, models, tpm_limit, rpm_limit, budget_duration, blocked, model_spend, created_at, updated_at)
VALUES
 ('team-research', 'Research', 'org-acme',   '{u-ada}',   '{u-ada,u-grace,u-alan}', '[{"role": "admin", "user_id": "u-ada"}, {"role": "user", "user_id": "u-grace"}]', '{"cost_center": "R-100", "tier": "gold"}',   1000, 640.5,  '{gpt-4o,claude-3-5-sonnet}', 100000, 500, '30d', false, '{"gpt-4o": 420.5, "claude-3-5-sonnet": 220}', '2024-11-04 10:00Z', '2025-01-06 17:45Z'),
 ('team-support',  'Support',  'org-acme',   '{u-linus}', '{u-linus,u-ken}',        '[{"role": "admin", "user_id": "u-linus"}]',                                         '{"cost_center": "S-200", "tier": "silver"}', 300,  171.75, '{gpt-4o-mini}',              50000,  300, '30d', false, '{"gpt-4o-mini": 171.75}',                       '2024-11-05 11:00Z', '2025-01-05 09:00Z'),
 ('team-growth',   'Growth',   'org-globex', '{u-barbara}', '{u-barbara}',          '[]',                                                                                '{"tier": "bronze"}',                         50,   41.5,   '{gpt-4o-mini}',              NULL,   NULL, NULL, false, '{}',                                            '2024-12-10 15:10Z', '2024-12-28 13:00Z'),
 ('team-legacy',   'Legacy',   NULL,         '{}',        '{}',                     '[]',                                                                                '{"tier": "bronze", "sunset": true}',         0,    0,      '{}',                         NULL,   NULL, NULL, true,  '{}',                                            '2024-06-01 00:00Z', '2024-10-01 00:00Z');

INSERT INTO litellm."LiteLLM_UserTable" VALUES
 ('u-ada',     'Ada',     'team-research', 'org-acme',   '{team-research}',              'internal_user', 400,  312.25, 'ada@acme.test',     '{gpt-4o}',              '{"department": "research"}',  '30d', '2025-02-01 00:00Z'),
 ('u-grace',   'Grace',   'team-research', 'org-acme',   '{team-research}',              'internal_user', 400,  228.25, 'grace@acme.test',   '{}',                    '{"department": "research"}',  '30d', '2025-02-01 00:00Z'),
 ('u-alan',    'Alan',    'team-research', 'org-acme',   '{team-research,team-support}', 'internal_user', NULL, 100,    'alan@acme.test',    '{}',                    '{}',                          NULL,  NULL),
 ('u-linus',   'Linus',   'team-support',  'org-acme',   '{team-support}',               'proxy_admin',   NULL, 120.5,  'linus@acme.test',   '{}',                    '{"department": "support"}',   NULL,  NULL),
 ('u-ken',     'Ken',     'team-support',  'org-acme',   '{team-support}',               'internal_user', 100,  51.25,  'ken@acme.test',     '{gpt-4o-mini}',         '{}',                          '7d',  '2025-01-13 00:00Z'),
 ('u-barbara', 'Barbara', 'team-growth',   'org-globex', '{team-growth}',                'internal_user', 50,   41.5,   'barbara@globex.test', '{gpt-4o-mini}',       '{"department": "growth"}',    '30d', '2025-02-01 00:00Z');

INSERT INTO litellm."LiteLLM_VerificationToken"
 (token, key_name, key_alias, spend, expires, models, user_id, team_id, metadata, blocked, tpm_limit, rpm_limit, max_budget, budget_id, model_spend, created_at, updated_at)
VALUES
 ('88dc28d0f030c55e', 'sk-...Wq3F', 'research-prod',  212.5,  '2025-06-30 00:00Z', '{gpt-4o,claude-3-5-sonnet}', 'u-ada',     'team-research', '{"env": "prod", "tier": "gold"}',       false, 50000, 250, 500,  'budget-team',  '{"gpt-4o": 150, "claude-3-5-sonnet": 62.5}', '2024-11-04 10:30Z', '2025-01-06 17:45Z'),
 ('3f1b9e77a4c2d018', 'sk-...k2Lp', 'research-dev',   99.75,  NULL,                '{}',                         'u-grace',   'team-research', '{"env": "dev", "tier": "gold"}',        false, NULL,  NULL, NULL, NULL,           '{"gpt-4o": 99.75}',                          '2024-11-06 08:00Z', '2025-01-02 12:00Z'),
 ('c0ffee0ddba11a55', 'sk-...9sQe', 'support-bot',    171.75, '2025-03-31 00:00Z', '{gpt-4o-mini}',              'u-linus',   'team-support',  '{"env": "prod", "tier": "silver"}',     false, 20000, 100, 200,  'budget-team',  '{"gpt-4o-mini": 171.75}',                    '2024-11-05 11:30Z', '2025-01-05 09:00Z'),
 ('5eed5eed00d1e5aa', 'sk-...Xx01', 'growth-trial',   41.5,   '2025-01-15 00:00Z', '{gpt-4o-mini}',              'u-barbara', 'team-growth',   '{"env": "trial", "tier": "bronze"}',    false, 1000,  10,   10,   'budget-free',  '{"gpt-4o-mini": 41.5}',                      '2024-12-10 15:20Z', '2024-12-28 13:00Z'),
 ('deadbeef00000001', 'sk-...Old1', 'legacy-batch',   0,      '2024-10-01 00:00Z', '{}',                         NULL,        'team-legacy',   '{"env": "prod", "tier": "bronze"}',     true,  NULL,  NULL, 0,    NULL,           '{}',                                         '2024-06-01 00:00Z', '2024-10-01 00:00Z'),
 ('a11ce0000000beef', 'sk-...Ali9', 'alan-personal',  100,    NULL,                '{gpt-4o}',                   'u-alan',    NULL,            '{"env": "prod"}',                       false, NULL,  NULL, NULL, NULL,           '{"gpt-4o": 100}',                            '2024-12-01 09:00Z', '2025-01-03 10:00Z');

INSERT INTO litellm."LiteLLM_SpendLogs"
 (request_id, call_type, api_key, spend, total_tokens, prompt_tokens, completion_tokens, "startTime", "endTime", model, model_group, api_base, "user", metadata, cache_hit, request_tags, team_id, end_user)
VALUES
 ('chatcmpl-001', 'acompletion', '88dc28d0f030c55e', 0.75,  1830, 1500, 330, '2025-01-06 09:00:00Z', '2025-01-06 09:00:04Z', 'gpt-4o',            'gpt-4o',            'https://api.openai.test', 'u-ada',     '{"user_api_key_alias": "research-prod"}', 'False', '["nightly-eval"]', 'team-research', NULL),
 ('chatcmpl-002', 'acompletion', '88dc28d0f030c55e', 1.25,  2900, 2100, 800, '2025-01-06 09:05:00Z', '2025-01-06 09:05:09Z', 'claude-3-5-sonnet', 'claude-3-5-sonnet', 'https://api.anthropic.test', 'u-ada', '{"user_api_key_alias": "research-prod"}', 'False', '["nightly-eval"]', 'team-research', NULL),
 ('chatcmpl-003', 'acompletion', '3f1b9e77a4c2d018', 0.5,   1200, 1000, 200, '2025-01-06 10:00:00Z', '2025-01-06 10:00:02Z', 'gpt-4o',            'gpt-4o',            'https://api.openai.test', 'u-grace',   '{"user_api_key_alias": "research-dev"}',  'True',  '[]',               'team-research', NULL),
 ('chatcmpl-004', 'acompletion', 'c0ffee0ddba11a55', 0.02,  900,  700,  200, '2025-01-06 11:00:00Z', '2025-01-06 11:00:01Z', 'gpt-4o-mini',       'gpt-4o-mini',       'https://api.openai.test', 'u-linus',   '{"user_api_key_alias": "support-bot"}',   'False', '["ticket-4411"]',  'team-support',  'customer-17'),
 ('chatcmpl-005', 'acompletion', 'c0ffee0ddba11a55', 0.03,  1100, 800,  300, '2025-01-07 08:00:00Z', '2025-01-07 08:00:01Z', 'gpt-4o-mini',       'gpt-4o-mini',       'https://api.openai.test', 'u-linus',   '{"user_api_key_alias": "support-bot"}',   'False', '["ticket-4412"]',  'team-support',  'customer-42'),
 ('chatcmpl-006', 'aembedding',  '5eed5eed00d1e5aa', 0.001, 400,  400,  0,   '2025-01-07 09:30:00Z', '2025-01-07 09:30:00Z', 'text-embedding-3-small', 'embeddings',  'https://api.openai.test', 'u-barbara', '{}',                                      'False', '[]',               'team-growth',   NULL),
 ('chatcmpl-007', 'acompletion', 'a11ce0000000beef', 2.5,   5200, 4000, 1200, '2025-01-07 12:00:00Z', '2025-01-07 12:00:15Z', 'gpt-4o',           'gpt-4o',            'https://api.openai.test', 'u-alan',    '{"user_api_key_alias": "alan-personal"}', 'False', '["long-context"]', NULL,            NULL);

INSERT INTO litellm."LiteLLM_DailyUserSpend" VALUES
 ('dus-1', 'u-ada',   '2025-01-06', '88dc28d0f030c55e', 'gpt-4o',            'openai',    1500, 330, 0.75, 1),
 ('dus-2', 'u-ada',   '2025-01-06', '88dc28d0f030c55e', 'claude-3-5-sonnet', 'anthropic', 2100, 800, 1.25, 1),
 ('dus-3', 'u-linus', '2025-01-06', 'c0ffee0ddba11a55', 'gpt-4o-mini',       'openai',    700,  200, 0.02, 1),
 ('dus-4', 'u-linus', '2025-01-07', 'c0ffee0ddba11a55', 'gpt-4o-mini',       'openai',    800,  300, 0.03, 1);

INSERT INTO litellm."LiteLLM_Config" VALUES
 ('general_settings', '{"store_model_in_db": true, "alerting": ["slack"]}'),
 ('litellm_settings', '{"drop_params": true, "cache": false}');

INSERT INTO litellm."LiteLLM_AuditLog" VALUES
 ('audit-1', '2025-01-05 09:00Z', 'u-linus', 'updated', 'LiteLLM_TeamTable',         'team-support',     '{"max_budget": 250}', '{"max_budget": 300}'),
 ('audit-2', '2025-01-06 17:45Z', 'u-ada',   'updated', 'LiteLLM_VerificationToken', '88dc28d0f030c55e', '{"tpm_limit": 20000}', '{"tpm_limit": 50000}');

INSERT INTO litellm."ManagedJob" VALUES
 ('job-1', 'RUNNING', 'PENDING',   'RUNNING', '2025-01-06 08:00Z'),
 ('job-2', 'QUEUED',  NULL,        'QUEUED',  '2025-01-06 09:00Z'),
 ('job-3', 'done',    'DELIVERED', 'done',    '2025-01-05 12:00Z'),
 ('job-4', 'PAUSED',  'PENDING',   'PAUSED',  '2025-01-07 10:00Z');

INSERT INTO litellm."LiteLLM_DailySpend" VALUES
 ('2024-12-28', 'team-growth',   3.5),
 ('2025-01-06', 'team-research', 2),
 ('2025-01-06', 'team-support',  0.02),
 ('2025-01-07', 'team-support',  0.03);

-- The copies an older release left in public. Same shape, other rows: a
-- statement that reaches them instead of litellm returns wrong data.
CREATE TABLE public."LiteLLM_VerificationToken"
    (LIKE litellm."LiteLLM_VerificationToken" INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE public."LiteLLM_VerificationToken" ADD PRIMARY KEY (token);
CREATE TABLE public."LiteLLM_UserTable"
    (LIKE litellm."LiteLLM_UserTable" INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE public."LiteLLM_UserTable" ADD PRIMARY KEY (user_id);

INSERT INTO public."LiteLLM_VerificationToken"
 (token, key_name, key_alias, spend, expires, user_id, team_id, metadata, blocked, created_at, updated_at)
VALUES
 ('88dc28d0f030c55e', 'sk-...Wq3F', 'research-prod (v1)', 12,  '2024-06-30 00:00Z', 'u-ada',  'team-research', '{"env": "prod", "tier": "gold"}', false, '2024-03-01 00:00Z', '2024-05-01 00:00Z'),
 ('0ld0ld0ld0ld0ld0', 'sk-...v1v1', 'v1-migration',       3.5, NULL,                'u-root', NULL,            '{"env": "prod"}',                 true,  '2024-01-01 00:00Z', '2024-01-01 00:00Z');

INSERT INTO public."LiteLLM_UserTable" (user_id, user_alias, team_id, user_role, spend, user_email)
VALUES
 ('u-ada',  'Ada (v1)', 'team-research', 'internal_user', 12, 'ada@acme.test'),
 ('u-root', 'root',     NULL,            'proxy_admin',   0,  'root@acme.test');

-- The older release's enum lacked PAUSED, its daily spend had other
-- partitions, and its spend view was computed from the keys.
CREATE TYPE public."JobStatus" AS ENUM ('QUEUED', 'RUNNING', 'done');

CREATE TABLE public."LiteLLM_DailySpend"
    (LIKE litellm."LiteLLM_DailySpend" INCLUDING DEFAULTS)
    PARTITION BY RANGE (date);
ALTER TABLE public."LiteLLM_DailySpend" ADD PRIMARY KEY (date, team_id);
CREATE TABLE public."LiteLLM_DailySpend_2024_11" PARTITION OF public."LiteLLM_DailySpend"
    FOR VALUES FROM ('2024-11-01') TO ('2024-12-01');
CREATE TABLE public."LiteLLM_DailySpend_default" PARTITION OF public."LiteLLM_DailySpend"
    DEFAULT;
INSERT INTO public."LiteLLM_DailySpend" VALUES
 ('2024-10-02', 'team-legacy',   7.25),
 ('2024-11-20', 'team-research', 40),
 ('2025-01-06', 'team-research', 1);

CREATE VIEW public."MonthlyGlobalSpend" AS
SELECT updated_at::date AS date, sum(spend) AS spend
  FROM public."LiteLLM_VerificationToken"
 GROUP BY 1;

-- Helpers for the test's follow-up checks. They pin their own search_path,
-- so what they print does not depend on the caller's.
CREATE SCHEMA pgqualify_e2e;

-- One line for each fact about a relation that a statement can change:
-- kind, columns, constraints, indexes, triggers, policies, parents, owner
-- grants, comment and row count. No rows when the relation is missing.
CREATE FUNCTION pgqualify_e2e.describe(nsp text, rel text)
RETURNS SETOF text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog
AS $$
DECLARE
    r oid;
    n bigint;
BEGIN
    SELECT c.oid INTO r
      FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
     WHERE s.nspname = nsp AND c.relname = rel;
    IF r IS NULL THEN
        RETURN;
    END IF;

    RETURN QUERY SELECT 'kind ' || relkind::text FROM pg_class WHERE oid = r;
    RETURN QUERY
        SELECT 'column ' || attname || ' ' || format_type(atttypid, atttypmod)
               || CASE WHEN attnotnull THEN ' not null' ELSE '' END
          FROM pg_attribute
         WHERE attrelid = r AND attnum > 0 AND NOT attisdropped
         ORDER BY attnum;
    RETURN QUERY
        SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid)
          FROM pg_constraint WHERE conrelid = r ORDER BY conname;
    RETURN QUERY
        SELECT 'index ' || pg_get_indexdef(indexrelid)
          FROM pg_index WHERE indrelid = r ORDER BY 1;
    RETURN QUERY
        SELECT 'trigger ' || pg_get_triggerdef(oid)
          FROM pg_trigger WHERE tgrelid = r AND NOT tgisinternal ORDER BY 1;
    RETURN QUERY
        SELECT 'policy ' || polname || ' ' || polcmd::text || ' '
               || coalesce(pg_get_expr(polqual, polrelid), '')
          FROM pg_policy WHERE polrelid = r ORDER BY polname;
    RETURN QUERY
        SELECT 'rls ' || relrowsecurity::text FROM pg_class WHERE oid = r;
    RETURN QUERY
        SELECT 'inherits ' || p.oid::regclass::text
          FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
         WHERE i.inhrelid = r ORDER BY i.inhseqno;
    RETURN QUERY
        SELECT 'grant ' || a.grantee::regrole::text || ' ' || a.privilege_type
          FROM pg_class c, aclexplode(c.relacl) a
         WHERE c.oid = r AND a.grantee <> c.relowner
         ORDER BY 1;
    RETURN QUERY
        SELECT 'comment ' || d FROM obj_description(r, 'pg_class') d
         WHERE d IS NOT NULL;
    IF (SELECT relkind FROM pg_class WHERE oid = r) IN ('r', 'v', 'p', 'm') THEN
        EXECUTE format('SELECT count(*) FROM %I.%I', nsp, rel) INTO n;
        RETURN NEXT 'rows ' || n;
    END IF;
END
$$;

-- Schemas whose names only work quoted, each with a smaller copy of the
-- tables and rows that say which schema they came from.
CREATE FUNCTION pgqualify_e2e.make_tenant(nsp text, label text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
BEGIN
    EXECUTE format('CREATE SCHEMA %I', nsp);
    EXECUTE format('CREATE TABLE %I."LiteLLM_TeamTable" (LIKE litellm."LiteLLM_TeamTable" INCLUDING ALL)', nsp);
    EXECUTE format('CREATE TABLE %I."LiteLLM_VerificationToken" (LIKE litellm."LiteLLM_VerificationToken" INCLUDING ALL)', nsp);
    EXECUTE format('CREATE TABLE %I."LiteLLM_SpendLogs" (LIKE litellm."LiteLLM_SpendLogs" INCLUDING ALL)', nsp);
    EXECUTE format($q$
        INSERT INTO %1$I."LiteLLM_TeamTable" (team_id, team_alias, metadata, max_budget, spend, created_at, updated_at)
        VALUES ('team-a', %2$L || ' A', '{"tier": "gold"}', 100, 12.5, '2025-01-01 00:00Z', '2025-01-02 00:00Z'),
               ('team-b', %2$L || ' B', '{"tier": "silver"}', 50, 49.75, '2025-01-01 00:00Z', '2025-01-03 00:00Z')
    $q$, nsp, label);
    EXECUTE format($q$
        INSERT INTO %1$I."LiteLLM_VerificationToken" (token, key_alias, spend, team_id, metadata, created_at, updated_at)
        VALUES ('tok-a1', %2$L || ' key 1', 7.5, 'team-a', '{"env": "prod"}', '2025-01-01 00:00Z', '2025-01-01 00:00Z'),
               ('tok-a2', %2$L || ' key 2', 5,   'team-a', '{"env": "dev"}',  '2025-01-01 00:00Z', '2025-01-01 00:00Z'),
               ('tok-b1', %2$L || ' key 3', 49.75, 'team-b', '{"env": "prod"}', '2025-01-01 00:00Z', '2025-01-01 00:00Z')
    $q$, nsp, label);
    EXECUTE format($q$
        INSERT INTO %1$I."LiteLLM_SpendLogs" (request_id, call_type, api_key, spend, "startTime", "endTime", model, team_id)
        VALUES ('req-1', 'acompletion', 'tok-a1', 7.5, '2025-01-05 10:00Z', '2025-01-05 10:00:03Z', 'gpt-4o', 'team-a'),
               ('req-2', 'acompletion', 'tok-b1', 49.75, '2025-01-05 11:00Z', '2025-01-05 11:00:09Z', 'gpt-4o', 'team-b')
    $q$, nsp);
END
$$;

SELECT pgqualify_e2e.make_tenant('My Schema', 'spaced');
SELECT pgqualify_e2e.make_tenant('a"b', 'quote');
SELECT pgqualify_e2e.make_tenant('Acme Corp Production Tenant 00042 - Schema At The 63-Byte Limit', 'long');
SELECT pgqualify_e2e.make_tenant('Ünïcödé', 'unicode');
