import qrcode from 'qrcode-generator';
import type { RoomState } from '../runtime/rooms.ts';

/** The room calls of the public API the panel needs. */
export interface RoomSource {
  openRoom(options?: { passphrase?: string }): Promise<{ roomId: string; link: string }>;
  joinRoom(roomId: string, options?: { passphrase?: string; numWorkers?: number }): Promise<void>;
  leaveRoom(): Promise<void>;
  roomState(): RoomState;
  onRoomChange(listener: (state: RoomState) => void): () => void;
}

/**
 * Rooms in the page. With no room: "Open room". As the head: the link with "Copy link" and a QR
 * code, and the peers as they come and go. Opened at a room link: what joining means, and
 * "Join as worker"; once joined, what this page contributes, and "Leave room".
 */
export function mountRoomPanel(
  root: HTMLElement,
  rooms: RoomSource,
  options: {
    roomToJoin?: string | null;
    /**
     * Where an invitation shows until it is answered: its first child, as the page's main
     * content (the element gets `data-invited`, which the page's CSS uses to set the rest aside).
     * @default root
     */
    invitationHost?: HTMLElement;
  } = {},
): () => void {
  const cores = Math.max(1, (navigator.hardwareConcurrency || 2) - 1);
  let roomToJoin = options.roomToJoin ?? null;
  let message = '';
  /** Peers seen since the room opened, so an empty room after departures is not "No peers yet". */
  const seenPeers = new Set<string>();

  const section = document.createElement('section');
  section.setAttribute('aria-label', 'Room');
  section.className = 'room-panel';
  root.append(section);
  const invitation = document.createElement('section');
  invitation.setAttribute('aria-label', 'Room invitation');
  invitation.className = 'room-panel room-invite';
  const invitationHost = options.invitationHost ?? root;

  const button = (label: string, onClick: () => Promise<void> | void): HTMLButtonElement => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.addEventListener('click', () => {
      b.disabled = true;
      Promise.resolve(onClick())
        .catch((error: unknown) => {
          message = error instanceof Error ? error.message : String(error);
        })
        .finally(() => {
          b.disabled = false;
          draw(rooms.roomState());
        });
    });
    return b;
  };

  const passphraseInput = (): HTMLInputElement => {
    const input = document.createElement('input');
    input.type = 'password';
    input.placeholder = 'passphrase (optional)';
    input.setAttribute('aria-label', 'Room passphrase');
    input.autocomplete = 'off';
    return input;
  };

  const draw = (state: RoomState): void => {
    section.replaceChildren();
    const heading = document.createElement('h2');
    heading.textContent = 'Room';
    section.append(heading);
    const invited = state.role !== 'head' && state.role !== 'joiner' && roomToJoin !== null;
    if (!invited) {
      invitation.remove();
      invitationHost.removeAttribute('data-invited');
    }

    if (state.role === 'head' && state.link) {
      const link = document.createElement('input');
      link.readOnly = true;
      link.value = state.link;
      link.setAttribute('aria-label', 'Room link');
      link.dataset['roomLink'] = '';
      const copy = button('Copy link', async () => {
        await navigator.clipboard.writeText(state.link ?? '');
        message = 'Link copied.';
      });
      const qr = qrcode(0, 'M');
      qr.addData(state.link);
      qr.make();
      const code = document.createElement('div');
      code.className = 'room-qr';
      code.setAttribute('role', 'img');
      code.setAttribute('aria-label', 'QR code of the room link');
      code.innerHTML = qr.createSvgTag({ cellSize: 3, margin: 2, scalable: true });
      const list = document.createElement('ul');
      list.setAttribute('aria-label', 'Peers');
      list.dataset['roomPeers'] = '';
      for (const peer of state.peers) {
        const item = document.createElement('li');
        item.textContent = peer.label;
        list.append(item);
      }
      for (const peer of state.peers) seenPeers.add(peer.nodeId);
      const count = document.createElement('p');
      count.dataset['roomCount'] = '';
      count.title = state.peers.map((peer) => peer.label).join(', ');
      const left = [...seenPeers].filter((id) => !state.peers.some((peer) => peer.nodeId === id)).length;
      count.textContent =
        state.peers.length > 0
          ? `${state.peers.length} peer${state.peers.length === 1 ? '' : 's'} in the room.`
          : left > 0
            ? `No peers now (${left} left): share the link again.`
            : 'No peers yet: share the link.';
      section.append(link, copy, code, count, list, button('Leave room', () => rooms.leaveRoom()));
    } else if (state.role === 'joiner') {
      const status = document.createElement('p');
      status.dataset['roomStatus'] = 'joined';
      const c = state.contribution;
      status.textContent =
        `Joined room ${state.roomId ?? ''} as a worker node: this page offers ${cores} worker${cores === 1 ? '' : 's'}` +
        (c ? `, runs ${c.running} of the room's tasks now and has finished ${c.finished}.` : '.');
      section.append(status, button('Leave room', () => rooms.leaveRoom()));
    } else if (roomToJoin) {
      const room = roomToJoin;
      const explain = document.createElement('p');
      explain.textContent =
        `This link invites this browser into room ${room}. Joining runs the room's code on this computer, ` +
        `using ${cores} core${cores === 1 ? '' : 's'}, in sandboxed workers that cannot read this site's data, ` +
        'cookies or pages, and cannot reach the network. You can leave at any time.';
      const pass = passphraseInput();
      const join = button('Join as worker', async () => {
        await rooms.joinRoom(room, pass.value ? { passphrase: pass.value, numWorkers: cores } : { numWorkers: cores });
        message = '';
      });
      const dismiss = button('Not now', () => {
        roomToJoin = null;
      });
      // The invitation is the page's main content until it is answered.
      const title = document.createElement('h2');
      title.textContent = `Join room ${room} as a worker?`;
      invitation.replaceChildren(title, explain, pass, join, dismiss);
      invitationHost.prepend(invitation);
      invitationHost.setAttribute('data-invited', '');
      const pending = document.createElement('p');
      pending.textContent = `Invited to room ${room}.`;
      section.append(pending);
    } else {
      const pass = passphraseInput();
      const open = button('Open room', async () => {
        await rooms.openRoom(pass.value ? { passphrase: pass.value } : {});
        message = '';
      });
      open.title = 'Open a room to let other browsers join this page as worker nodes';
      section.append(pass, open);
    }
    if (message) {
      const note = document.createElement('p');
      note.setAttribute('role', 'status');
      note.textContent = message;
      section.append(note);
    }
  };

  const stop = rooms.onRoomChange(draw);
  draw(rooms.roomState());
  return () => {
    stop();
    section.remove();
    invitation.remove();
    invitationHost.removeAttribute('data-invited');
  };
}
