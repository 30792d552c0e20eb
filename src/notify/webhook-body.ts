// A message as each webhook format wants it: Slack's and Teams' incoming webhooks, or flow's JSON.
import type { Message } from './message.js';

const label = (f: Message['body']['failed'][number]) => (f.instance === undefined ? f.node : `${f.node}[${f.instance}]`);

/** Slack's incoming-webhook payload: a fallback `text` and Block Kit blocks (mrkdwn). */
export function slackBody(m: Message): unknown {
  const b = m.body;
  const slack = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const failed = b.failed.map((f) => {
    const what = f.ename ? `${f.ename}: ${f.evalue ?? ''}` : f.message;
    const cell = f.cell === undefined ? '' : ` in cell ${f.cell}`;
    const code = f.cell_source ? `\n\`\`\`${slack(f.cell_source)}\`\`\`` : '';
    const tb = f.traceback ? `\n\`\`\`${slack(f.traceback.split('\n').slice(-8).join('\n'))}\`\`\`` : '';
    return { type: 'section', text: { type: 'mrkdwn', text: `*${slack(label(f))}*: ${slack(what)}${cell}${code}${tb}`.slice(0, 2900) } };
  });
  const facts = [
    `*Run* \`${b.run_id}\``,
    `*Status* ${b.status}${b.exit_code === null ? '' : ` (exit ${b.exit_code})`}`,
    `*Logical date* ${b.logical_date}`,
    `*Run directory* \`${slack(b.run_dir)}\``,
  ];
  return {
    text: m.subject,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: m.subject.slice(0, 150) } },
      { type: 'section', fields: facts.map((text) => ({ type: 'mrkdwn', text })) },
      ...failed.slice(0, 10),
      ...(b.skipped.length
        ? [
            {
              type: 'context',
              elements: [
                { type: 'mrkdwn', text: `Skipped: ${slack(b.skipped.map((s) => `${s.node} (${s.why})`).join('; '))}`.slice(0, 2900) },
              ],
            },
          ]
        : []),
      ...(b.next_step ? [{ type: 'section', text: { type: 'mrkdwn', text: `Next step: fix the cause, then \`${b.next_step}\`` } }] : []),
    ],
  };
}

/** A Teams (Workflows) incoming-webhook message: one Adaptive Card. */
export function teamsBody(m: Message): unknown {
  const b = m.body;
  const failed = b.failed.slice(0, 10).flatMap((f) => [
    {
      type: 'TextBlock',
      wrap: true,
      weight: 'Bolder',
      text: `${label(f)}: ${f.ename ? `${f.ename}: ${f.evalue ?? ''}` : f.message}${f.cell === undefined ? '' : ` (cell ${f.cell})`}`,
    },
    ...(f.cell_source ? [{ type: 'CodeBlock', language: 'Python', codeSnippet: f.cell_source }] : []),
    ...(f.traceback
      ? [{ type: 'TextBlock', wrap: true, fontType: 'Monospace', size: 'Small', text: f.traceback.split('\n').slice(-8).join('\n') }]
      : []),
  ]);
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.5',
          body: [
            {
              type: 'TextBlock',
              size: 'Large',
              weight: 'Bolder',
              wrap: true,
              text: m.subject,
              color: b.status === 'succeeded' ? 'Good' : 'Attention',
            },
            {
              type: 'FactSet',
              facts: [
                { title: 'Run', value: b.run_id },
                { title: 'Status', value: `${b.status}${b.exit_code === null ? '' : ` (exit ${b.exit_code})`}` },
                { title: 'Logical date', value: b.logical_date },
                { title: 'Run directory', value: b.run_dir },
              ],
            },
            ...failed,
            ...(b.skipped.length
              ? [{ type: 'TextBlock', wrap: true, text: `Skipped: ${b.skipped.map((s) => `${s.node} (${s.why})`).join('; ')}` }]
              : []),
            ...(b.next_step ? [{ type: 'TextBlock', wrap: true, text: `Next step: fix the cause, then \`${b.next_step}\`` }] : []),
          ],
        },
      },
    ],
  };
}

export function webhookBody(format: 'slack' | 'teams' | 'json', m: Message): unknown {
  return format === 'slack' ? slackBody(m) : format === 'teams' ? teamsBody(m) : m.body;
}
