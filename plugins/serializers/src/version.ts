/** This package's version, written into every file's metadata. */
export const VERSION = '0.1.0';
