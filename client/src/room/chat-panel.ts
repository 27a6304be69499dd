// The room's chat: the interviewer(s) and the candidate write, everyone in the room reads (observers
// have no input). Messages show their author and interview time; Markdown code spans and fenced
// code render through the chat's sanitiser (markdown.ts). An unread count sits on the tab while the
// panel is hidden.
import { LIMITS, type ChatMessage, type Role } from '../../../common/protocol.ts';
import { focusableScrollers, formatClock, h } from '../ui/dom.ts';
import { checkedText } from '../ui/text-field.ts';
import { renderChatMarkdown } from './markdown.ts';
import { interviewTimeOf } from './notes-panel.ts';
import { appendList } from './append-list.ts';
import type { MakeTab } from './side-tabs.ts';

export const CHAT_ROLE_LABEL: Readonly<Record<Role, string>> = { mentor: 'Interviewer', candidate: 'Candidate', observer: 'Observer' };

export interface ChatPanel {
  element: HTMLElement;
  /**
   * The messages in the room's state. When `loads` changes (a new 'session:state') the list is
   * replaced and nothing counts as unread; otherwise the messages past those shown are new.
   */
  render(messages: readonly ChatMessage[], loads: number): void;
  /** The panel became visible: everything is read. */
  shown(): void;
}

export interface ChatPanelOptions {
  /** Null when the message was stored, else the reason (shown under the box). Absent: read-only (observers). */
  send?: (text: string) => Promise<string | null>;
  /** The session's start on the server's clock, for interview times. */
  startedAt: () => number | null;
  /** Whose page this is: their own messages never count as unread. */
  me: () => string | null;
  /** Whether the panel is on screen now. */
  visible: () => boolean;
  /** The unread count changed (0 = none). */
  unread: (count: number) => void;
}

/** One message as shown in the room and the replay: author, role, interview time, rendered text. */
export function renderChatMessage(m: ChatMessage, startedAt: number | null, me: string | null = null): HTMLElement {
  const text = h('div', { class: 'chat-text markdown' });
  text.innerHTML = renderChatMarkdown(m.text);
  focusableScrollers(text);
  for (const a of text.querySelectorAll('a')) {
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
  }
  return h(
    'li',
    { class: `chat-message chat-${m.role}` },
    h(
      'div',
      { class: 'chat-meta' },
      h('span', { class: 'chat-author' }, m.participantId === me ? `${m.name} (you)` : m.name),
      h('span', { class: 'chat-role' }, CHAT_ROLE_LABEL[m.role]),
      h('span', { class: 'chat-time', title: 'Interview time (since the timer started)' }, interviewTimeOf(m.at, startedAt)),
      h('time', { class: 'chat-clock', datetime: new Date(m.at).toISOString(), title: new Date(m.at).toLocaleString() }, formatClock(m.at)),
    ),
    text,
  );
}

export function createChatPanel(o: ChatPanelOptions): ChatPanel {
  const list = h('ol', { class: 'chat-list' });
  const empty = h('p', { class: 'chat-empty muted' }, 'No messages yet.');
  const log = h('div', { class: 'chat-log', role: 'log', 'aria-live': 'polite', 'aria-label': 'Chat messages', tabindex: 0 }, empty, list);
  let unread = 0;
  const setUnread = (n: number): void => {
    if (n === unread) return;
    unread = n;
    o.unread(n);
  };

  let footer: HTMLElement;
  const send = o.send;
  if (send) {
    const field = checkedText({
      label: 'A message',
      max: LIMITS.chatChars,
      multiline: true,
      attrs: { class: 'chat-input', rows: 2, 'aria-label': 'Chat message', placeholder: 'Message the room (Enter sends, Shift + Enter: new line)' },
    });
    const button = h('button', { class: 'btn btn-secondary', type: 'button' }, 'Send');
    const submit = async (): Promise<void> => {
      const text = field.take();
      if (text === null) return;
      button.disabled = true;
      const refused = await send(text);
      button.disabled = false;
      if (refused === null) field.clear();
      else field.showError(refused);
      field.control.focus();
    };
    button.addEventListener('click', () => void submit());
    field.control.addEventListener('keydown', (e) => {
      const k = e as KeyboardEvent;
      // Enter sends, as in every chat; Ctrl/Cmd + Enter is the room's Run shortcut, so it is not taken here.
      if (k.key === 'Enter' && !k.shiftKey && !k.ctrlKey && !k.metaKey && !k.isComposing) {
        e.preventDefault();
        void submit();
      }
    });
    footer = h('div', { class: 'chat-add' }, field.control, h('div', { class: 'chat-send-row' }, field.meta, button));
  } else {
    footer = h('p', { class: 'chat-readonly muted' }, 'Observers read the chat; the interviewer and the candidate write in it.');
  }

  const addItem = (m: ChatMessage): void => {
    list.append(renderChatMessage(m, o.startedAt(), o.me()));
    empty.hidden = true;
  };
  const scrollDown = (): void => {
    log.scrollTop = log.scrollHeight;
  };

  return {
    element: h('div', { class: 'chat' }, log, footer),
    render: appendList<ChatMessage>({
      rebuild(messages) {
        list.replaceChildren();
        empty.hidden = false;
        messages.forEach(addItem);
        scrollDown();
      },
      append(m) {
        addItem(m);
        scrollDown();
        if (!o.visible() && m.participantId !== o.me()) setUnread(unread + 1);
      },
    }),
    shown() {
      setUnread(0);
      scrollDown();
    },
  };
}

/** The panel in `host` and its tab (made by side-tabs.ts), with the unread count on the tab while the panel is hidden. */
export function mountChat(host: HTMLElement, o: Omit<ChatPanelOptions, 'visible' | 'unread'>, tab: MakeTab): { panel: ChatPanel; tab: HTMLButtonElement } {
  const badge = h('span', { class: 'tab-badge', hidden: true });
  const panel = createChatPanel({
    ...o,
    visible: () => !host.hidden,
    unread: (n) => {
      badge.hidden = n === 0;
      badge.replaceChildren(h('span', { class: 'sr-only' }, ', '), String(n), h('span', { class: 'sr-only' }, ' unread'));
    },
  });
  host.append(panel.element);
  const button = tab('Chat', host, () => panel.shown());
  button.append(badge);
  return { panel, tab: button };
}
