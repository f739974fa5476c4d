// Types of build/setup.mjs, which is plain JavaScript because it runs before TypeScript is installed.
export declare const DEBIAN_PACKAGES: readonly string[];
export declare function setupNpm(projectDir?: string, install?: () => void): boolean;
