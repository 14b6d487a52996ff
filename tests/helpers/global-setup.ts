import { prepareTestEnvironment } from './test-env';

export default prepareTestEnvironment;
