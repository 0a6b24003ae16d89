/** Platform baseline fixture: one Comlink-exposed method that returns its argument. */
import * as Comlink from 'comlink';

export const echoApi = {
  echo(value: number): number {
    return value;
  },
};

export type EchoApi = typeof echoApi;

Comlink.expose(echoApi);
