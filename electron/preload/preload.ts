// Runs sandboxed in the renderer's process before the page: the only bridge between the page and
// the services. It exposes the contract's operations and events, one function each, and nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL, createBridge } from '../../common/api/bridge';

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, createBridge(ipcRenderer));
