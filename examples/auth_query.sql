-- Virtual-key lookup on the authentication path: the key, its team, user,
-- organization, budgets and end-user limits in one round trip.
SELECT
    v.*,
    t.spend AS team_spend,
    t.max_budget AS team_max_budget,
    t.tpm_limit AS team_tpm_limit,
    t.rpm_limit AS team_rpm_limit,
    t.models AS team_models,
    t.metadata AS team_metadata,
    t.blocked AS team_blocked,
    t.team_alias,
    t.members_with_roles AS team_members_with_roles,
    tm.spend AS team_member_spend,
    COALESCE(tmb.max_budget, b.max_budget) AS litellm_budget_table_max_budget,
    COALESCE(tmb.tpm_limit, b.tpm_limit) AS litellm_budget_table_tpm_limit,
    COALESCE(tmb.rpm_limit, b.rpm_limit) AS litellm_budget_table_rpm_limit,
    u.max_budget AS user_max_budget,
    u.spend AS user_spend,
    u.user_email,
    u.metadata->>'role' AS user_role_hint,
    o.organization_alias,
    o.metadata #>> '{limits,tier}' AS org_tier,
    ob.max_budget AS org_max_budget,
    e.spend AS end_user_spend,
    eb.max_budget AS end_user_max_budget
FROM "LiteLLM_VerificationToken" AS v
LEFT JOIN "LiteLLM_TeamTable" AS t ON v.team_id = t.team_id
LEFT JOIN "LiteLLM_TeamMembership" AS tm
    ON v.team_id = tm.team_id AND tm.user_id = v.user_id
LEFT JOIN "LiteLLM_BudgetTable" AS tmb ON tm.budget_id = tmb.budget_id
LEFT JOIN "LiteLLM_BudgetTable" AS b ON v.budget_id = b.budget_id
LEFT JOIN "LiteLLM_UserTable" AS u ON v.user_id = u.user_id
LEFT JOIN "LiteLLM_OrganizationTable" AS o ON v.organization_id = o.organization_id
LEFT JOIN "LiteLLM_BudgetTable" AS ob ON o.budget_id = ob.budget_id
LEFT JOIN "LiteLLM_EndUserTable" AS e ON e.user_id = v.metadata->>'end_user_id'
LEFT JOIN "LiteLLM_BudgetTable" AS eb ON e.budget_id = eb.budget_id
WHERE v.token = $1
  AND (v.expires IS NULL OR v.expires > now())
  AND COALESCE(v.blocked, false) = false
  AND v.model_max_budget @> '{}'::jsonb;
