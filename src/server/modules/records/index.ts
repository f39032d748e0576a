// The records module's public surface.
export {
  activeRoundFor,
  approveRecords,
  bulkReview,
  commentsRead,
  returnRecords,
  reviewTable,
  saveRecord,
  saveRecordIn,
  submitDepartment,
  undoReview,
  writeHistory,
} from './records.service.js';
export { activeRoundRead, insertRecords, loadRecords, recordsRead } from './records.repository.js';
export { recordRoutes } from './records.routes.js';
