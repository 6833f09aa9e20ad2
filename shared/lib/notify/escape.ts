/**
 * Escaping for the formats chat services render. Titles come from hostnames, container names and log
 * lines, which an attacker on a monitored host can choose, so nothing host-controlled reaches a
 * renderer unescaped (a `<!channel>` in Slack pings everyone; `@everyone` in Discord likewise).
 */

/** HTML text content and attribute values (Matrix formatted_body). */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/**
 * Discord markdown: formatting, link, heading, quote and mention characters get a backslash (mentions are
 * also disabled per message). `-` and `:` are left alone: escaping them shows backslashes in hostnames and
 * times, and a stray list or emoji is harmless.
 */
export function escapeDiscordMarkdown(text: string): string {
  return text.replace(/[\\*_~`|>#[\]()<@]/g, "\\$&");
}

/** Slack mrkdwn: only `&`, `<` and `>` are control characters (api.slack.com/reference/surfaces/formatting#escaping). */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
