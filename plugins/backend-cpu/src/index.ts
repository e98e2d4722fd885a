export {cpu} from './cpu';
