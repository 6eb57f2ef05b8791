const EXTENSION_BY_MIME: Record<string, string> = {
	'image/png': 'png',
	'image/jpeg': 'jpg',
	'image/jpg': 'jpg',
	'image/webp': 'webp',
	'image/gif': 'gif',
	'image/avif': 'avif',
};

export function extensionForMime(mimeType: string): string | undefined {
	return EXTENSION_BY_MIME[mimeType];
}

/** The media type from a Content-Type header, or undefined when it names no image we know. */
export function imageMimeFromHeader(contentType: unknown): string | undefined {
	if (typeof contentType !== 'string') return undefined;
	const mime = contentType.split(';')[0].trim().toLowerCase();
	if (!extensionForMime(mime)) return undefined;
	return mime === 'image/jpg' ? 'image/jpeg' : mime;
}

/** Recognises an image by its first bytes, for hosts that label images `application/octet-stream`. */
export function imageMimeFromBytes(head: Uint8Array): string | undefined {
	const startsWith = (...bytes: number[]) => bytes.every((byte, i) => head[i] === byte);
	const ascii = (from: number, to: number) => String.fromCharCode(...head.slice(from, to));
	if (startsWith(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
	if (startsWith(0xff, 0xd8, 0xff)) return 'image/jpeg';
	if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
	if (ascii(0, 4) === 'GIF8') return 'image/gif';
	if (ascii(4, 12) === 'ftypavif') return 'image/avif';
	return undefined;
}
