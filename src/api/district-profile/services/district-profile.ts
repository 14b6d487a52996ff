import { factories } from '@strapi/strapi';

export default factories.createCoreService('api::district-profile.district-profile');
