/**
 * Transcripts (MATCH-1) arrive as WebVTT or as plain text. WebVTT is reduced to its spoken
 * text, one line per cue, with the speaker from a `<v Name>` voice tag: `Name: text`. Cue
 * timings, identifiers, NOTE/STYLE/REGION blocks and other markup are dropped.
 */
export function transcriptToText(input: string): string {
    const text = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
    if (!/^WEBVTT(?:[ \t].*)?(?:\n|$)/.test(text)) return text.trim();
    const lines: string[] = [];
    const blocks = text.split(/\n{2,}/).slice(1);
    for (const block of blocks) {
        const rows = block.split('\n').filter((r) => r.trim() !== '');
        const timing = rows.findIndex((r) => r.includes('-->'));
        if (timing < 0) continue; // NOTE, STYLE, REGION or a stray block
        for (const row of rows.slice(timing + 1)) {
            const voice = /<v(?:\.[^\s>]+)*\s+([^>]+)>/.exec(row);
            const spoken = decodeEntities(row.replace(/<[^>]*>/g, '')).trim();
            if (!spoken) continue;
            const speaker = voice?.[1]?.trim();
            const line = speaker ? `${speaker}: ${spoken}` : spoken;
            // Consecutive cues of one speaker are joined into one line.
            const last = lines[lines.length - 1];
            if (speaker && last?.startsWith(`${speaker}: `)) lines[lines.length - 1] = `${last} ${spoken}`;
            else lines.push(line);
        }
    }
    return lines.join('\n');
}

function decodeEntities(s: string): string {
    return s
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&nbsp;/g, ' ')
        .replace(/&lrm;|&rlm;/g, '')
        .replace(/&amp;/g, '&');
}
