/**
 * Tables whose text columns hold no candidate's data, and why. Staff data (accounts, roles, the
 * network directory, onboarding) is personal data too, of staff: it lives as long as the account
 * or the entry and is described in docs/data-protection.md. Checked against the schema by
 * test/privacy/personal-data.test.ts, like the copies in personal-data.ts.
 */
export const UNRELATED: Record<string, { columns: string[]; why: string }> = {
  regions: { columns: ['name', 'slug', 'created_at'], why: 'reference data' },
  organisations: {
    columns: ['name', 'slug', 'department', 'territory', 'presentation', 'email', 'street_address', 'postal_code', 'city', 'website_url', 'logo_url', 'created_at', 'updated_at'],
    why: 'the CPTS itself: its contact address, seat and website',
  },
  scheduling_polls: { columns: ['updated_at'], why: 'a posting’s poll settings' },
  scheduling_slots: { columns: ['starts_at', 'ends_at', 'mode', 'location', 'video_url', 'status', 'created_at', 'removed_at'], why: 'interview slots proposed by the bureau' },
  scheduling_answers: { columns: ['answer', 'updated_at'], why: 'panel members’ availability (staff)' },
  scheduling_panel_links: { columns: ['token_hash', 'expires_at', 'revoked_at', 'created_at'], why: 'signed links of panel members (staff)' },
  calendar_feeds: { columns: ['token_hash', 'created_at', 'last_read_at'], why: 'a member’s calendar subscription (staff)' },
  instance_facts: { columns: ['key', 'value', 'created_at'], why: 'facts about this instance (the authority of its tag: URIs)' },
  funding_envelopes: { columns: ['source', 'source_date', 'updated_at'], why: 'ACI amounts per size and year, with their source' },
  funding_profiles: { columns: ['updated_at'], why: 'a CPTS’s ACI size and contract year' },
  funding_commitments: { columns: ['kind', 'label', 'created_at', 'updated_at'], why: 'a CPTS’s committed costs (posts by title and amount, no candidate)' },
  users: { columns: ['email', 'name', 'password_hash', 'locale', 'disabled_at', 'created_at', 'updated_at'], why: 'staff accounts (a hired person’s account is theirs as an employee)' },
  memberships: { columns: ['role', 'title', 'created_at'], why: 'staff roles' },
  invitations: { columns: ['token_hash', 'email', 'name', 'role', 'title', 'expires_at', 'accepted_at', 'revoked_at', 'created_at'], why: 'invitations of staff and panel members' },
  password_resets: { columns: ['token_hash', 'expires_at', 'used_at', 'created_at'], why: 'staff password resets' },
  job_leases: { columns: ['name', 'holder', 'lease_until', 'last_run_at'], why: 'background job bookkeeping' },
  schema_migrations: { columns: ['name', 'applied_at'], why: 'schema bookkeeping' },
  postings: {
    columns: ['slug', 'kind', 'template_key', 'title', 'location', 'street_address', 'postal_code', 'contract_type', 'contract_details', 'start_date', 'deadline', 'summary', 'description_md', 'contact_name', 'contact_email', 'status', 'published_at', 'closed_at', 'created_at', 'updated_at'],
    why: 'job postings and their published contact',
  },
  posting_history: { columns: ['actor_label', 'action', 'changes', 'at'], why: 'edits of postings by staff' },
  recruitment_settings: { columns: ['notify_mode', 'updated_at'], why: 'settings' },
  posting_questions: { columns: ['kind', 'label', 'hint', 'options', 'expected', 'created_at', 'updated_at'], why: 'the questions a posting asks, written by the bureau (the answers are declared in personal-data.ts)' },
  application_digests: { columns: ['day', 'sent_at'], why: 'which day a digest went' },
  onboarding_templates: { columns: ['kind', 'reference_key', 'name', 'phases', 'created_at', 'updated_at'], why: 'onboarding templates' },
  onboarding_template_steps: { columns: ['step_key', 'phase', 'title', 'description', 'owner_role', 'resources', 'recurring_label', 'tag'], why: 'onboarding templates' },
  onboarding_plans: { columns: ['kind', 'template_name', 'phases', 'start_date', 'created_at'], why: 'onboarding of staff (hired people)' },
  onboarding_plan_steps: {
    columns: ['step_key', 'phase', 'title', 'description', 'owner_role', 'due_date', 'resources', 'recurring_label', 'tag', 'status', 'status_reason', 'status_at'],
    why: 'onboarding of staff (hired people)',
  },
  onboarding_step_history: { columns: ['status', 'reason', 'at'], why: 'onboarding of staff' },
  onboarding_step_comments: { columns: ['body', 'created_at'], why: 'onboarding of staff' },
  onboarding_workload_reviews: { columns: ['decision', 'notes', 'decided_at'], why: 'onboarding of staff' },
  onboarding_digests: { columns: ['day', 'sent_at'], why: 'which day a reminder went' },
  network_correspondents: { columns: ['department', 'institution', 'name', 'role', 'email', 'phone', 'created_at', 'updated_at'], why: 'the regional directory of ARS, CPAM and DAC correspondents' },
  network_mentor_pairings: { columns: ['created_at', 'ended_at'], why: 'peer mentoring between staff' },
  network_events: { columns: ['kind', 'title', 'starts_at', 'place', 'agenda', 'uid', 'created_at', 'updated_at'], why: 'regional network meetings' },
  network_event_rsvps: { columns: ['response', 'updated_at'], why: 'staff answers to network meetings' },
  pipeline_stages: { columns: ['kind', 'stage_key', 'name', 'created_at', 'updated_at'], why: 'a posting’s stages' },
  pipeline_settings: { columns: ['updated_at'], why: 'settings' },
  candidate_mail_templates: { columns: ['template_key', 'subject', 'body', 'updated_at'], why: 'templates with placeholders, no person' },
  scorecards: { columns: ['template_key', 'name', 'locked_at', 'created_at', 'updated_at'], why: 'a posting’s scorecard' },
  scorecard_criteria: {
    columns: ['criterion_key', 'group_key', 'label', 'description', 'level_1', 'level_2', 'level_3', 'level_4', 'questions', 'created_at', 'updated_at'],
    why: 'a posting’s criteria',
  },
  panels: { columns: ['updated_at'], why: 'panel settings' },
  panel_members: { columns: ['kind', 'created_at'], why: 'who sits on a panel (staff)' },
  public_revision: { columns: [], why: 'cache counter' },
  posting_revisions: { columns: [], why: 'cache counter' },
};
