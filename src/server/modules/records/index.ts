// The records module's public surface.
export {
  activeRoundFor,
  approveRecords,
  bulkReview,
  loadComments,
  returnRecords,
  reviewTable,
  saveRecord,
  saveRecordIn,
  submitDepartment,
  undoReview,
  writeHistory,
} from './records.service.js';
export { insertRecords, loadRecords } from './records.repository.js';
export { recordRoutes } from './records.routes.js';
