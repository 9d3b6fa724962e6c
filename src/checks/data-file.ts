import { defineRule } from './rule.js';

export const dataFile = defineRule({
  id: 'data-file',
  description: 'The CSV file exists, is readable, valid CSV, and has a header and at least one row; an image folder has class subfolders of decodable PNG/JPEG files.',
  needs: ['data'],
  check(_ir, context) {
    const problem = context.data().problem;
    return problem ? [problem] : [];
  },
});
