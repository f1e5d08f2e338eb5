import { execFileSync } from 'node:child_process';

// A few tests run the real `oversight` binary, which runs the compiled code: build it first.
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
  execFileSync(process.execPath, ['scripts/copy-assets.js'], { stdio: 'inherit' });
}
