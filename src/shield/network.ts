export { networkOf } from '../http/network.js';
