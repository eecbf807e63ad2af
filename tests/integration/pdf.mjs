// Test files for uploads: a small valid PDF, a PNG named .pdf, text,
// and a multipart helper for the integration and browser tests.

export function pdf(title = 'Gureum test', pad = 0) {
  const body = `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n` +
    `2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n` +
    `3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R ` +
    `/Resources << /Font << /F1 5 0 R >> >> >> endobj\n` +
    `4 0 obj << >> stream\nBT /F1 16 Tf 72 760 Td (${title}) Tj ET\nendstream endobj\n` +
    `5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n`;
  const tail = `trailer << /Root 1 0 R >>\n%%EOF\n`;
  return Buffer.concat([Buffer.from(body), Buffer.alloc(pad, 0x20), Buffer.from(tail)]);
}

export const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4a90000000049454e44ae426082', 'hex');
export const TEXT = Buffer.from('This is a plain text file, not a PDF.\n');

// A FormData with text fields and files {name: {data, filename, type}}.
export function multipart(fields = {}, files = {}) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields))
    fd.append(k, v);
  for (const [k, f] of Object.entries(files))
    fd.append(k, new Blob([f.data], { type: f.type ?? 'application/pdf' }), f.filename ?? 'file.pdf');
  return fd;
}
