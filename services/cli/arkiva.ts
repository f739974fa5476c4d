/** The `arkiva` command (package.json `bin`, built to dist/node/arkiva.mjs). */
import { commands } from './commands';
import { runCli } from './run-cli';

const io = {
  stdout: (text: string) => void process.stdout.write(text),
  stderr: (text: string) => void process.stderr.write(text),
};

// `arkiva ocr *.tif | head`: once the reader has gone, there is nobody left to work for.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit();
});

try {
  // exitCode rather than exit(): output still buffered for a pipe must be written first.
  process.exitCode = await runCli(process.argv.slice(2), io, commands);
} catch (error) {
  process.stderr.write(`arkiva: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}
