import assert from 'node:assert/strict';
import { DEMO, SIM_REPLY_MARKER, SIM_REPLY_TEXT, startGateway, type RelayRecord, type RunningGateway } from '../../src/simulator';

/** One parsed server-sent event. */
interface Sse {
  event?: string;
  data: string;
}

function parseSse(text: string): Sse[] {
  return text.split('\n\n').filter((block) => block.trim()).map((block) => {
    const lines = block.split('\n');
    const event = lines.find((l) => l.startsWith('event: '))?.slice('event: '.length);
    const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice('data: '.length)).join('\n');
    return event === undefined ? { data } : { event, data };
  });
}

const dataOf = (event: Sse | undefined): Record<string, unknown> => JSON.parse(event?.data ?? '{}') as Record<string, unknown>;

async function post(gw: RunningGateway, path: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(gw.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

const bearer = { Authorization: `Bearer ${DEMO.key}` };
const anthropic = { 'x-api-key': DEMO.key, 'anthropic-version': '2023-06-01' };
const say = [{ role: 'user', content: 'hi' }];

describe('simulator relay: one turn in each protocol, and the relay log', () => {
  let gw: RunningGateway;
  beforeEach(async () => {
    gw = await startGateway();
  });
  afterEach(() => gw.close());

  it('Responses, streamed: the event sequence Codex reads, ending in response.completed with usage', async () => {
    const res = await post(gw, '/v1/responses', bearer, { model: 'gpt-5.4', input: 'hi', stream: true });
    assert.equal(res.status, 200);
    assert.match(res.type, /^text\/event-stream/);
    const events = parseSse(res.text);
    assert.deepEqual(events.map((e) => e.event), [
      'response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added',
      'response.output_text.delta', 'response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed',
    ]);
    for (const [i, e] of events.entries()) {
      assert.equal(dataOf(e).type, e.event, 'each data names its own event');
      assert.equal(dataOf(e).sequence_number, i);
    }
    assert.equal(dataOf(events[4]).delta, SIM_REPLY_TEXT);
    const completed = dataOf(events.at(-1)).response as { status: string; model: string; usage: { total_tokens: number }; output: { content: { text: string }[] }[] };
    assert.equal(completed.status, 'completed');
    assert.equal(completed.model, 'gpt-5.4');
    assert.equal(completed.usage.total_tokens, 15);
    assert.equal(completed.output[0]?.content[0]?.text, SIM_REPLY_TEXT);
  });

  it('Responses, whole: one completed response object', async () => {
    const res = await post(gw, '/v1/responses', bearer, { model: 'gpt-5.4', input: 'hi' });
    const body = JSON.parse(res.text) as { object: string; status: string; output: { content: { text: string }[] }[] };
    assert.equal(body.object, 'response');
    assert.equal(body.status, 'completed');
    assert.match(body.output[0]?.content[0]?.text ?? '', new RegExp(SIM_REPLY_MARKER));
  });

  it('Messages, streamed: message_start … message_stop, the text in one text_delta', async () => {
    const res = await post(gw, '/v1/messages?beta=true', anthropic, { model: 'claude-sonnet-4-5', max_tokens: 16, messages: say, stream: true });
    assert.equal(res.status, 200);
    const events = parseSse(res.text);
    assert.deepEqual(events.map((e) => e.event), ['message_start', 'content_block_start', 'ping', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    assert.deepEqual(dataOf(events[3]).delta, { type: 'text_delta', text: SIM_REPLY_TEXT });
    assert.deepEqual((dataOf(events[5]).delta as { stop_reason: string }).stop_reason, 'end_turn');
    assert.equal((dataOf(events[0]).message as { model: string }).model, 'claude-sonnet-4-5');
  });

  it('Messages, whole: a message with the text', async () => {
    const res = await post(gw, '/v1/messages', anthropic, { model: 'claude-sonnet-4-5', max_tokens: 16, messages: say });
    const body = JSON.parse(res.text) as { type: string; content: { text: string }[] };
    assert.equal(body.type, 'message');
    assert.equal(body.content[0]?.text, SIM_REPLY_TEXT);
  });

  it('Chat Completions, streamed: chunks, a usage chunk only when asked, then [DONE]', async () => {
    const withUsage = parseSse((await post(gw, '/v1/chat/completions', bearer, { model: 'gpt-4o', messages: say, stream: true, stream_options: { include_usage: true } })).text);
    assert.equal(withUsage.at(-1)?.data, '[DONE]');
    assert.ok(withUsage.every((e) => e.event === undefined), 'chat chunks are unnamed events');
    const chunks = withUsage.slice(0, -1).map(dataOf);
    assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk'));
    const text = chunks.flatMap((c) => (c.choices as { delta: { content?: string } }[]).map((ch) => ch.delta.content ?? '')).join('');
    assert.equal(text, SIM_REPLY_TEXT);
    assert.deepEqual(chunks.at(-1)?.choices, [], 'the usage chunk has no choices');
    assert.equal((chunks.at(-1)?.usage as { total_tokens: number }).total_tokens, 15);
    const plain = parseSse((await post(gw, '/v1/chat/completions', bearer, { model: 'gpt-4o', messages: say, stream: true })).text);
    assert.equal(plain.length, withUsage.length - 1);
  });

  it('the malformedJson fault cuts a stream short: no terminal event', async () => {
    gw.faults.malformedJson = true;
    const events = parseSse((await post(gw, '/v1/responses', bearer, { model: 'gpt-5.4', input: 'hi', stream: true })).text);
    assert.ok(events.length > 0);
    assert.ok(!events.some((e) => e.event === 'response.completed'));
  });

  it('errors keep their JSON shape when a stream was asked for', async () => {
    const res = await post(gw, '/v1/messages', { 'x-api-key': 'sk-nobody', 'anthropic-version': '2023-06-01' }, { model: 'claude-sonnet-4-5', messages: say, stream: true });
    assert.equal(res.status, 401);
    assert.match(res.type, /application\/json/);
    gw.faults.contextManagementRejected = true;
    const rejected = await post(gw, '/v1/messages', anthropic, { model: 'claude-sonnet-4-5', messages: say, stream: true, context_management: { edits: [] } });
    assert.equal(rejected.status, 400);
    assert.match(rejected.text, /context_management: Extra inputs are not permitted/);
  });

  it('records each relay request: route, every key header and key, model, beta header, context_management', async () => {
    await post(gw, '/v1/messages?beta=true', { ...anthropic, Authorization: 'Bearer sk-other', 'anthropic-beta': 'context-management-2025-06-27' },
      { model: 'claude-sonnet-4-5', messages: say, stream: true, context_management: { edits: [] } });
    await post(gw, '/v1/chat/completions', bearer, { model: 'gpt-4o', messages: say });
    await fetch(`${gw.url}/v1/models`, { headers: bearer });
    await fetch(`${gw.url}/api/status`);
    const [messages, chat, models, ...rest] = gw.relay;
    assert.deepEqual(rest, [], 'console routes are not relay requests');
    assert.deepEqual(messages, {
      method: 'POST', path: '/v1/messages', query: 'beta=true', status: 200,
      keyHeaders: ['authorization', 'x-api-key'], authorization: 'Bearer sk-other', xApiKey: DEMO.key,
      model: 'claude-sonnet-4-5', stream: true, anthropicBeta: 'context-management-2025-06-27', anthropicVersion: '2023-06-01',
      contextManagement: true, userAgent: 'node',
    } satisfies RelayRecord);
    assert.deepEqual([chat?.path, chat?.keyHeaders, chat?.authorization, chat?.model, chat?.stream, chat?.contextManagement], ['/v1/chat/completions', ['authorization'], `Bearer ${DEMO.key}`, 'gpt-4o', false, false]);
    assert.deepEqual([models?.method, models?.path, models?.status, models?.model], ['GET', '/v1/models', 200, undefined]);
  });

  it('records refused requests and wrong routes too, and serves the log on /__simulator/relay', async () => {
    await post(gw, '/v1/v1/messages', anthropic, { model: 'claude-sonnet-4-5', messages: say });
    await post(gw, '/v1/responses', { Authorization: 'Bearer sk-wrong' }, { model: 'gpt-5.4', input: 'hi' });
    const control = async (body: unknown) => ((await (await fetch(`${gw.url}/__simulator/relay`, { method: 'POST', body: JSON.stringify(body) })).json()) as { relay: RelayRecord[] }).relay;
    const seen = await control({});
    assert.deepEqual(seen.map((r) => [r.path, r.status]), [['/v1/v1/messages', 404], ['/v1/responses', 401]]);
    assert.equal((await control({ clear: true })).length, 2);
    assert.deepEqual(await control({}), [], 'cleared; control requests are never recorded');
  });
});
