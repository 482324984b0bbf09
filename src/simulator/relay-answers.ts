/**
 * A successful turn in each relay protocol, whole or streamed (SSE), shaped so the real agents finish it:
 * Codex reads the Responses events, Claude Code the Anthropic Messages events, OpenCode (through
 * @ai-sdk/openai-compatible) the Chat Completions chunks ending in `data: [DONE]`.
 * Every answer's text contains SIM_REPLY_MARKER, so a test can tell the simulator's reply in an agent's output.
 */
import type { Reply, SseEvent } from './http-util';
import { nowSeconds } from './state';

export const SIM_REPLY_MARKER = 'TOKAIFY-SIM-REPLY';
export const SIM_REPLY_TEXT = `${SIM_REPLY_MARKER} Hello from the Tokaify gateway simulator.`;

/** The usage every answer reports (the quota charged is the simulator's fixed CALL_COST). */
export const SIM_USAGE = { input: 12, output: 3 } as const;

export type Protocol = 'chat' | 'responses' | 'messages';

const json = (body: unknown): Reply => ({ status: 200, body });
const stream = (events: SseEvent[]): Reply => ({ status: 200, events });

function chat(model: string, text: string, streamed: boolean, includeUsage: boolean): Reply {
  const id = `chatcmpl-sim${nowSeconds()}`;
  const created = nowSeconds();
  const usage = { prompt_tokens: SIM_USAGE.input, completion_tokens: SIM_USAGE.output, total_tokens: SIM_USAGE.input + SIM_USAGE.output };
  if (!streamed) {
    return json({ id, object: 'chat.completion', created, model, choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }], usage });
  }
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): SseEvent => ({ data: { id, object: 'chat.completion.chunk', created, model, choices, ...extra } });
  return stream([
    chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
    chunk([{ index: 0, delta: { content: text }, finish_reason: null }]),
    chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]),
    // Only when asked (`stream_options.include_usage`), as OpenAI does: a last chunk with no choices.
    ...(includeUsage ? [chunk([], { usage })] : []),
    { data: '[DONE]' },
  ]);
}

function responses(model: string, text: string, streamed: boolean): Reply {
  const id = `resp_sim${nowSeconds()}`;
  const itemId = `msg_sim${nowSeconds()}`;
  const part = { type: 'output_text', text, annotations: [] };
  const item = { id: itemId, type: 'message', status: 'completed', role: 'assistant', content: [part] };
  const usage = {
    input_tokens: SIM_USAGE.input, input_tokens_details: { cached_tokens: 0 },
    output_tokens: SIM_USAGE.output, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: SIM_USAGE.input + SIM_USAGE.output,
  };
  const response = (status: 'in_progress' | 'completed') => ({
    id, object: 'response', created_at: nowSeconds(), status, model, output: status === 'completed' ? [item] : [], usage: status === 'completed' ? usage : null,
  });
  if (!streamed) return json(response('completed'));
  // Codex needs output_item.done (the message it keeps) and response.completed (the end of the turn, with
  // usage); the rest is the sequence OpenAI sends, for clients that render deltas.
  const events: [string, Record<string, unknown>][] = [
    ['response.created', { response: response('in_progress') }],
    ['response.in_progress', { response: response('in_progress') }],
    ['response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', content: [] } }],
    ['response.content_part.added', { item_id: itemId, output_index: 0, content_index: 0, part: { ...part, text: '' } }],
    ['response.output_text.delta', { item_id: itemId, output_index: 0, content_index: 0, delta: text }],
    ['response.output_text.done', { item_id: itemId, output_index: 0, content_index: 0, text }],
    ['response.content_part.done', { item_id: itemId, output_index: 0, content_index: 0, part }],
    ['response.output_item.done', { output_index: 0, item }],
    ['response.completed', { response: response('completed') }],
  ];
  return stream(events.map(([type, fields], sequence) => ({ event: type, data: { type, sequence_number: sequence, ...fields } })));
}

function messages(model: string, text: string, streamed: boolean): Reply {
  const message = {
    id: `msg_sim${nowSeconds()}`, type: 'message', role: 'assistant', model, content: [{ type: 'text', text }],
    stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: SIM_USAGE.input, output_tokens: SIM_USAGE.output },
  };
  if (!streamed) return json(message);
  const events: [string, Record<string, unknown>][] = [
    ['message_start', { message: { ...message, content: [], stop_reason: null, usage: { input_tokens: SIM_USAGE.input, output_tokens: 1 } } }],
    ['content_block_start', { index: 0, content_block: { type: 'text', text: '' } }],
    ['ping', {}],
    ['content_block_delta', { index: 0, delta: { type: 'text_delta', text } }],
    ['content_block_stop', { index: 0 }],
    ['message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: SIM_USAGE.output } }],
    ['message_stop', {}],
  ];
  return stream(events.map(([type, fields]) => ({ event: type, data: { type, ...fields } })));
}

/** The answer to one generation request; `body` is the request's parsed JSON (for `stream` and its options). */
export function answer(protocol: Protocol, model: string, body: Record<string, unknown>, text = SIM_REPLY_TEXT): Reply {
  const streamed = body.stream === true;
  if (protocol === 'responses') return responses(model, text, streamed);
  if (protocol === 'messages') return messages(model, text, streamed);
  const options = body.stream_options;
  const includeUsage = typeof options === 'object' && options !== null && (options as Record<string, unknown>).include_usage === true;
  return chat(model, text, streamed, includeUsage);
}

