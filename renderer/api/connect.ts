import { createApiClient } from '../../common/api/client';
import type { ArkivaApi } from '../../common/api/contract';
import { BRIDGE_GLOBAL, type ArkivaBridge } from '../../common/api/bridge';
import { electronTransport } from './electron-transport';
import { localHostTransport } from './local-host-transport';

/** The renderer's one way to the services; it cannot tell (and need not know) which host carries it. */
export function connectApi(): ArkivaApi {
  const bridge = (window as unknown as Record<string, ArkivaBridge | undefined>)[BRIDGE_GLOBAL];
  return createApiClient(bridge ? electronTransport(bridge) : localHostTransport());
}
