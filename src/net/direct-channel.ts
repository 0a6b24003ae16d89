/**
 * One RTCPeerConnection carrying one DataChannel, opened without a signaling server: its offer,
 * answer and ICE candidates travel through a channel the two sides already share (`sendSignal`
 * out, `signal()` in). The head offers and the joiner's sandbox answers, so the room's data
 * flows straight between the head and the page next to the joiner's workers.
 */

export type RtcSignal = { description: { type: 'offer' | 'answer'; sdp: string } } | { candidate: RTCIceCandidateInit };

/** SDP of a single DataChannel is a few KiB; anything far larger is not one. */
const MAX_SDP = 64 * 1024;
/** Candidates one side may send: a few per network interface and ICE server. */
const MAX_CANDIDATES = 64;

/** `value` as an RtcSignal, or why it is not one. */
export function checkRtcSignal(value: unknown): RtcSignal | string {
  if (typeof value !== 'object' || value === null) return 'a WebRTC signal is not an object';
  const record = value as Record<string, unknown>;
  const description = record['description'] as Record<string, unknown> | undefined;
  if (typeof description === 'object' && description !== null) {
    const { type, sdp } = description;
    if ((type !== 'offer' && type !== 'answer') || typeof sdp !== 'string' || sdp.length > MAX_SDP) return 'a WebRTC description is malformed';
    return { description: { type, sdp } };
  }
  const candidate = record['candidate'] as Record<string, unknown> | undefined;
  if (typeof candidate === 'object' && candidate !== null) {
    const { candidate: line, sdpMid, sdpMLineIndex, usernameFragment } = candidate;
    const optional = (v: unknown, kind: 'string' | 'number') => v === undefined || v === null || typeof v === kind;
    if (typeof line !== 'string' || line.length > 4096 || !optional(sdpMid, 'string') || !optional(sdpMLineIndex, 'number') || !optional(usernameFragment, 'string')) {
      return 'a WebRTC candidate is malformed';
    }
    return { candidate: { candidate: line, sdpMid: sdpMid as string | null, sdpMLineIndex: sdpMLineIndex as number | null, usernameFragment: usernameFragment as string | null } };
  }
  return 'a WebRTC signal is neither a description nor a candidate';
}

export class DirectChannel {
  readonly #connection: RTCPeerConnection;
  readonly #role: 'offer' | 'answer';
  readonly #sendSignal: (signal: RtcSignal) => void;
  /** Signals are applied one after another: a candidate must wait for its description. */
  #applying: Promise<void> = Promise.resolve();
  #candidatesHeard = 0;
  /** Opens when the DataChannel does; rejects if the connection fails or closes first. */
  readonly opened: Promise<RTCDataChannel>;

  constructor(role: 'offer' | 'answer', config: RTCConfiguration, sendSignal: (signal: RtcSignal) => void) {
    this.#role = role;
    this.#sendSignal = sendSignal;
    this.#connection = new RTCPeerConnection(config);
    // Negotiated on both sides with the same id: neither waits for the other to announce it.
    const channel = this.#connection.createDataChannel('raybox-data', { negotiated: true, id: 0, ordered: true });
    channel.binaryType = 'arraybuffer';
    this.opened = new Promise((resolve, reject) => {
      channel.addEventListener('open', () => resolve(channel), { once: true });
      channel.addEventListener('close', () => reject(new Error('the direct channel closed before it opened')), { once: true });
      this.#connection.addEventListener('connectionstatechange', () => {
        if (this.#connection.connectionState === 'failed') reject(new Error('no network path was found (ICE failed); a TURN server may be needed'));
      });
    });
    this.opened.catch(() => undefined);
    this.#connection.addEventListener('icecandidate', (event) => {
      if (event.candidate) sendSignal({ candidate: event.candidate.toJSON() });
    });
    if (role === 'offer') {
      void this.#connection
        .createOffer()
        .then((offer) => this.#connection.setLocalDescription(offer))
        .then(() => sendSignal({ description: this.#localDescription() }))
        .catch(() => this.close());
    }
  }

  /**
   * Another DataChannel on this connection, agreed by number: the other side opens the same `id`
   * (1 to 1023; 0 is the first channel's). Messages sent before the other side has opened it are
   * lost, so the side that opens first waits to hear from the other before sending.
   */
  channel(id: number, label: string): RTCDataChannel {
    return this.#connection.createDataChannel(label, { negotiated: true, id, ordered: true });
  }

  /** Applies a signal from the other side; resolves false (and applies nothing) if it does not fit. */
  signal(signal: RtcSignal): Promise<boolean> {
    const applied = this.#applying.then(() => this.#apply(signal));
    this.#applying = applied.then(
      () => undefined,
      () => undefined,
    );
    return applied.catch(() => false);
  }

  close(): void {
    this.#connection.close();
  }

  async #apply(signal: RtcSignal): Promise<boolean> {
    if (this.#connection.signalingState === 'closed') return false;
    if ('candidate' in signal) {
      if (++this.#candidatesHeard > MAX_CANDIDATES) return false;
      await this.#connection.addIceCandidate(signal.candidate);
      return true;
    }
    const expected = this.#role === 'offer' ? 'answer' : 'offer';
    if (signal.description.type !== expected || this.#connection.remoteDescription) return false;
    await this.#connection.setRemoteDescription(signal.description);
    if (this.#role === 'answer') {
      await this.#connection.setLocalDescription(await this.#connection.createAnswer());
      this.#sendSignal({ description: this.#localDescription() });
    }
    return true;
  }

  #localDescription(): { type: 'offer' | 'answer'; sdp: string } {
    const local = this.#connection.localDescription;
    return { type: local?.type === 'answer' ? 'answer' : 'offer', sdp: local?.sdp ?? '' };
  }
}
