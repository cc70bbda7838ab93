import type { Feeling, WorryTopic } from './report';

/**
 * The pictures on the pupil's cards, shown beside the words on staff screens too, so a
 * teacher sees what the child tapped. Emoji, so they need no download and work offline.
 */
const topics: Record<WorryTopic, string> = {
	unkind: '💬',
	upsetting: '📱',
	stranger: '❓',
	pictures: '📷',
	'grown-up': '🧑',
	'not-safe': '🆘',
	'something-else': '💭'
};

const faces: Record<Feeling, string> = {
	sad: '😢',
	worried: '😟',
	scared: '😨',
	angry: '😠',
	confused: '😕',
	okay: '🙂'
};

export const topicPicture = (topic: WorryTopic): string => topics[topic];
export const feelingPicture = (feeling: Feeling): string => faces[feeling];
