import { factories } from '@strapi/strapi';

export default factories.createCoreController('api::district-profile.district-profile');
