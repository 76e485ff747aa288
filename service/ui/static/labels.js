// The label contract of taxonomy.md, as the page offers it in filters and forms.

export const THEMES = [
  "verbal_abuse",
  "humiliation",
  "exclusion",
  "work_obstruction",
  "unfair_criticism",
  "gossip_rumours",
  "intimidation",
  "physical_violence",
  "sexual_harassment",
  "discrimination",
  "retaliation",
  "distress",
];
export const SEVERITIES = ["none", "low", "moderate", "high", "critical"];
export const URGENT_REASONS = ["violence", "sexual_assault", "self_harm", "stalking"];
export const STATUSES = ["new", "in_review", "escalated", "resolved", "dismissed"];
export const OPEN_STATUSES = ["new", "in_review", "escalated"];
// Why a flag is dismissed or reopened (codes only: the audit trail never holds free text).
export const TRIAGE_REASONS = [
  "false_positive",
  "not_workplace",
  "duplicate",
  "already_handled",
  "insufficient_information",
  "new_information",
  "other",
];
// The API's state machine (service/flags/service.py), to offer only the moves it can accept.
export const TRANSITIONS = {
  new: ["in_review"],
  in_review: ["new", "escalated", "resolved", "dismissed"],
  escalated: ["in_review", "resolved", "dismissed"],
  resolved: ["in_review"],
  dismissed: ["in_review"],
};
