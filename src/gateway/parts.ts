import { InterdictError } from '../core/errors.js';
import type { Side } from '../core/types.js';
import type { ApiKind } from './types.js';

/** One screened piece of a request or response, with a setter so redaction can rewrite it in place. */
export interface Part {
  /** Content-free locator, e.g. `messages[2]`, `messages[3].content[1]`, `system`, `conversation`. */
  part: string;
  side: Side;
  /** Role for the recorded event: system, user, assistant, tool, document, completion. */
  role: string;
  text: string;
  set?: (text: string) => void;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(problem: string): InterdictError {
  return new InterdictError('INTERDICT_INPUT_INVALID', `invalid request body: ${problem}`);
}

function sideOfRole(role: string): Side {
  return role === 'tool' || role === 'function' ? 'document' : 'input';
}

/** Text of an OpenAI/Anthropic content value: a string, or an array of typed blocks. */
function contentParts(
  content: unknown,
  where: string,
  role: string,
  side: Side,
  out: Part[],
  owner: Json,
  key: string,
): void {
  if (typeof content === 'string') {
    out.push({ part: where, side, role, text: content, set: (t) => (owner[key] = t) });
    return;
  }
  if (!Array.isArray(content)) return;
  content.forEach((block, i) => {
    if (!isObject(block)) return;
    const at = `${where}[${i}]`;
    if (typeof block.text === 'string') {
      // text / input_text / output_text blocks; a `document` block with inline text is a document.
      const blockSide = block.type === 'document' ? 'document' : side;
      out.push({ part: at, side: blockSide, role, text: block.text, set: (t) => (block.text = t) });
    } else if (block.type === 'tool_result') {
      contentParts(block.content, `${at}.content`, 'tool', 'document', out, block, 'content');
    } else if (block.type === 'document' && isObject(block.source) && typeof block.source.data === 'string') {
      if (block.source.type === 'text') {
        const source = block.source;
        out.push({
          part: `${at}.source`,
          side: 'document',
          role: 'document',
          text: source.data as string,
          set: (t) => (source.data = t),
        });
      }
    }
  });
}

function chatParts(body: Json, out: Part[]): void {
  if (!Array.isArray(body.messages)) throw invalid('messages must be an array');
  body.messages.forEach((message, i) => {
    if (!isObject(message) || typeof message.role !== 'string') throw invalid(`messages[${i}] needs a role`);
    const role = message.role;
    contentParts(message.content, `messages[${i}]`, role, sideOfRole(role), out, message, 'content');
  });
}

function responsesParts(body: Json, out: Part[]): void {
  if (typeof body.instructions === 'string') {
    out.push({
      part: 'instructions',
      side: 'input',
      role: 'system',
      text: body.instructions,
      set: (t) => (body.instructions = t),
    });
  }
  const input = body.input;
  if (typeof input === 'string') {
    out.push({ part: 'input', side: 'input', role: 'user', text: input, set: (t) => (body.input = t) });
    return;
  }
  if (!Array.isArray(input)) {
    if (input === undefined && body.previous_response_id !== undefined) return;
    throw invalid('input must be a string or an array');
  }
  input.forEach((item, i) => {
    if (!isObject(item)) return;
    if (item.type === 'function_call_output' || item.type === 'custom_tool_call_output') {
      if (typeof item.output === 'string') {
        out.push({
          part: `input[${i}].output`,
          side: 'document',
          role: 'tool',
          text: item.output,
          set: (t) => (item.output = t),
        });
      } else contentParts(item.output, `input[${i}].output`, 'tool', 'document', out, item, 'output');
      return;
    }
    if (typeof item.role === 'string') {
      contentParts(item.content, `input[${i}]`, item.role, sideOfRole(item.role), out, item, 'content');
    }
  });
}

function embeddingParts(body: Json, out: Part[]): void {
  const input = body.input;
  if (typeof input === 'string') {
    out.push({
      part: 'input',
      side: 'document',
      role: 'document',
      text: input,
      set: (t) => (body.input = t),
    });
  } else if (Array.isArray(input)) {
    input.forEach((item, i) => {
      // Token-id arrays are not text and are passed through unscreened.
      if (typeof item === 'string')
        out.push({
          part: `input[${i}]`,
          side: 'document',
          role: 'document',
          text: item,
          set: (t) => (input[i] = t),
        });
    });
  } else throw invalid('input must be a string or an array');
}

function messagesParts(body: Json, out: Part[]): void {
  if (body.system !== undefined) contentParts(body.system, 'system', 'system', 'input', out, body, 'system');
  if (!Array.isArray(body.messages)) throw invalid('messages must be an array');
  body.messages.forEach((message, i) => {
    if (!isObject(message) || typeof message.role !== 'string') throw invalid(`messages[${i}] needs a role`);
    contentParts(message.content, `messages[${i}].content`, message.role, 'input', out, message, 'content');
  });
}

/** Every screenable text of a request body, in order. Throws INTERDICT_INPUT_INVALID on a malformed shape. */
export function requestParts(kind: ApiKind, body: unknown): Part[] {
  if (!isObject(body)) throw invalid('the body must be a JSON object');
  const out: Part[] = [];
  if (kind === 'chat') chatParts(body, out);
  else if (kind === 'responses') responsesParts(body, out);
  else if (kind === 'embeddings') embeddingParts(body, out);
  else messagesParts(body, out);
  return out;
}

/**
 * The recent user turns joined, so an attack split across turns is judged whole. Only built when there are at
 * least two user parts (one turn is already screened on its own).
 */
export function conversationPart(parts: readonly Part[], turns: number): Part | undefined {
  if (turns < 2) return undefined;
  const users = parts.filter((p) => p.role === 'user' && p.side === 'input' && p.text.length > 0);
  if (users.length < 2) return undefined;
  const text = users
    .slice(-turns)
    .map((p) => p.text)
    .join('\n');
  return { part: 'conversation', side: 'input', role: 'conversation', text };
}

/** The system prompt(s), for prompt-leak detection on the completion. */
export function systemPromptOf(parts: readonly Part[]): string | undefined {
  const system = parts.filter((p) => p.role === 'system' || p.role === 'developer');
  return system.length ? system.map((p) => p.text).join('\n') : undefined;
}

/** Completion texts of a non-streaming response (message text and tool-call arguments). */
export function responseParts(kind: ApiKind, body: unknown): Part[] {
  const out: Part[] = [];
  if (!isObject(body)) return out;
  if (kind === 'chat' && Array.isArray(body.choices)) {
    body.choices.forEach((choice, i) => {
      if (!isObject(choice) || !isObject(choice.message)) return;
      const message = choice.message;
      if (typeof message.content === 'string') {
        out.push({
          part: `choices[${i}].content`,
          side: 'output',
          role: 'assistant',
          text: message.content,
          set: (t) => (message.content = t),
        });
      }
      if (Array.isArray(message.tool_calls)) {
        message.tool_calls.forEach((call, j) => {
          if (isObject(call) && isObject(call.function) && typeof call.function.arguments === 'string') {
            const fn = call.function;
            out.push({
              part: `choices[${i}].tool_calls[${j}]`,
              side: 'output',
              role: 'tool_call',
              text: fn.arguments as string,
              set: (t) => (fn.arguments = t),
            });
          }
        });
      }
    });
  } else if (kind === 'responses' && Array.isArray(body.output)) {
    body.output.forEach((item, i) => {
      if (!isObject(item)) return;
      if (item.type === 'message' && Array.isArray(item.content)) {
        item.content.forEach((block, j) => {
          if (isObject(block) && typeof block.text === 'string') {
            out.push({
              part: `output[${i}].content[${j}]`,
              side: 'output',
              role: 'assistant',
              text: block.text,
              set: (t) => (block.text = t),
            });
          }
        });
      } else if (typeof item.arguments === 'string') {
        out.push({
          part: `output[${i}].arguments`,
          side: 'output',
          role: 'tool_call',
          text: item.arguments,
          set: (t) => (item.arguments = t),
        });
      }
    });
  } else if (kind === 'messages' && Array.isArray(body.content)) {
    body.content.forEach((block, i) => {
      if (!isObject(block)) return;
      if (typeof block.text === 'string') {
        out.push({
          part: `content[${i}]`,
          side: 'output',
          role: 'assistant',
          text: block.text,
          set: (t) => (block.text = t),
        });
      } else if (block.type === 'tool_use' && block.input !== undefined) {
        out.push({
          part: `content[${i}].input`,
          side: 'output',
          role: 'tool_call',
          text: JSON.stringify(block.input),
          set: (t) => {
            try {
              block.input = JSON.parse(t);
            } catch {
              // A redaction that broke the JSON: drop the input rather than forward the unredacted one.
              block.input = {};
            }
          },
        });
      }
    });
  }
  return out;
}

/** Whether the client asked for a stream. */
export function wantsStream(body: unknown): boolean {
  return isObject(body) && body.stream === true;
}

export function modelOf(body: unknown): string | undefined {
  return isObject(body) && typeof body.model === 'string' ? body.model.slice(0, 200) : undefined;
}

/** An account hint from the body: OpenAI `user` / `safety_identifier`, Anthropic `metadata.user_id`. */
export function accountHintOf(body: unknown): string | undefined {
  if (!isObject(body)) return undefined;
  const hint =
    (typeof body.safety_identifier === 'string' && body.safety_identifier) ||
    (typeof body.user === 'string' && body.user) ||
    (isObject(body.metadata) && typeof body.metadata.user_id === 'string' && body.metadata.user_id) ||
    undefined;
  return hint ? hint.slice(0, 200) : undefined;
}
