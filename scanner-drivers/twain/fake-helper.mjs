// Test support: a stand-in for the Windows TWAIN/WIA helper that speaks PROTOCOL.md, so the
// adapter can be tested on any OS. Its behaviour is chosen by the FAKE_HELPER_SCENARIO variable.
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { crc32, deflateSync } from 'node:zlib';

const scenario = process.env.FAKE_HELPER_SCENARIO ?? 'ok';
// A 1 × 1 gray PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==', 'base64');

/** A valid PNG (good CRCs) whose header claims 100,000 × 100,000 gray pixels: 10 GB decoded, 200 bytes on disk. */
function hugePng() {
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typeAndData));
    return Buffer.concat([length, typeAndData, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(100_000, 0);
  header.writeUInt32BE(100_000, 4);
  header[8] = 8;
  return Buffer.concat([PNG.subarray(0, 8), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.alloc(100_001))), chunk('IEND', Buffer.alloc(0))]);
}

const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
const scans = new Map();

function writePage(folder, index) {
  const file = path.join(folder, `p${String(index).padStart(4, '0')}.png`);
  // 'huge-after-1': the second page is enormous, though the helper announces 1 × 1 as always.
  writeFileSync(`${file}.part`, scenario === 'huge-after-1' && index === 1 ? hugePng() : PNG);
  renameSync(`${file}.part`, file);
  return { index, path: file, mimeType: 'image/png', width: 1, height: 1 };
}

function scan(id, params) {
  const pages = scenario === 'empty' ? 0 : 3;
  const failAfter = { 'jam-after-2': 2, 'wia-jam-after-1': 1, 'crash-after-1': 1, 'code-after-1': 1 }[scenario];
  let index = 0;
  const state = { cancelled: false };
  scans.set(id, state);
  const step = () => {
    if (state.cancelled) {
      if (scenario !== 'ignores-cancel') send({ id, error: { code: 'cancelled', message: 'Cancelled by the user' } });
      return;
    }
    if (failAfter !== undefined && index === failAfter) {
      if (scenario === 'jam-after-2') send({ id, error: { message: 'Paper jam', twcc: 20 } });
      if (scenario === 'wia-jam-after-1') send({ id, error: { message: 'WIA error', hresult: '0x80210002' } });
      if (scenario === 'code-after-1') send({ id, error: { code: 'cover-open', message: 'Cover open' } });
      if (scenario === 'crash-after-1') {
        process.stderr.write('driver fault in twain_32.dll\n');
        process.exit(3);
      }
      return;
    }
    if (index === pages) {
      if (pages === 0) send({ id, error: { message: 'No paper', twcc: 29 } });
      else send({ id, result: { pages } });
      return;
    }
    if (scenario === 'outside-folder') {
      send({ id, event: 'page', page: { index, path: path.join(params.pageDirectory, '..', 'elsewhere.png'), mimeType: 'image/png', width: 1, height: 1 } });
      return;
    }
    if (scenario === 'garbage') {
      process.stdout.write('TWAIN DSM: loading source...\n{"not":"a message"}\n{"id":\n');
    }
    send({ id, event: 'page', page: writePage(params.pageDirectory, index) });
    index += 1;
    setTimeout(step, scenario === 'slow' || scenario === 'ignores-cancel' ? 200 : 0);
  };
  setTimeout(step, 0);
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const { id, method, params } = JSON.parse(line);
  // FAKE_HELPER_LOG: a file where each request's method is noted, for specs to see what the adapter asked.
  if (process.env.FAKE_HELPER_LOG) appendFileSync(process.env.FAKE_HELPER_LOG, `${method}\n`);
  switch (method) {
    case 'hello':
      send({ id, result: { protocol: scenario === 'old-protocol' ? 0 : 1, helper: 'fake-helper' } });
      break;
    case 'listDevices':
      send({
        id,
        result: {
          devices: [
            { id: 'twain:Canon DR-C225', name: 'Canon DR-C225' },
            { id: 'wia:{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\\0001', name: 'HP ScanJet Pro 4500' },
          ],
        },
      });
      break;
    case 'getCapabilities':
      send({ id, result: { deviceId: params.deviceId, sources: [{ source: 'adf', resolutions: [150, 300], modes: ['gray'], bitDepths: [8] }] } });
      break;
    case 'scan':
      scan(id, params);
      break;
    case 'cancel': {
      const state = scans.get(params.scanId);
      if (state) state.cancelled = true;
      send({ id, result: {} });
      break;
    }
    default:
      send({ id, error: { code: 'unsupported', message: `unknown method ${method}` } });
  }
});
lines.on('close', () => process.exit(0));
