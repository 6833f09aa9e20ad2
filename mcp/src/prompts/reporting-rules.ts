/** What every prompt asks of the report, so the model handles provenance and limits the same way. */
export const REPORTING_RULES: readonly string[] = [
  "",
  "Rules:",
  "- Every answer carries provenance (source stored or live, observed_at, age_s, stale). Say how old the data",
  "  behind each finding is, and flag findings that rest on stale data or on a failed live read (live_error).",
  "  A live read marked partial left sources or items out: say which, and do not read their absence as health.",
  "- Lists are paginated (next_offset) and long text is cut (truncated: true): page on when it matters, and say",
  "  when something was not read in full.",
  "- The tools only read; nothing here changes a host. Suggest actions, never claim to have taken them.",
  "- An error result carries a code (NOT_FOUND, HOST_UNREACHABLE, COMMAND_MISSING, DB_UNAVAILABLE...): report",
  "  what it means for the question rather than retrying the same call.",
];
